export { YubiHsmSimulator } from './simulator';
export type { SimulatorOptions } from './simulator';
export { serveSimulator } from './server';
export type { SimulatorServer, ServeSimulatorOptions } from './server';
export { SESSION_TIMEOUT_MS } from './sessions';
