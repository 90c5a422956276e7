/**
 * YubiHSM 2 native support: protocol (framing, SCP03 session, command encoders, audit log), client, transports
 * (USB, yubihsm-connector HTTP on loopback, in-memory) and a protocol-faithful simulator.
 */
export * from './protocol';
export { YubiHsmClient, YubiHsmSession } from './client';
export type { ClientOptions, AuthSecret, NewAuthKey, SessionOptions } from './client';
export { MemoryTransport, HttpTransport, connectHttp, DEFAULT_CONNECTOR_URL, UsbTransport, listUsbYubiHsms, openUsbYubiHsm, isLoopbackHost } from './transport';
export type { Transport, TransportKind, HttpTransportOptions, UsbLikeDevice, UsbModuleLike, UsbListing, UsbTransportOptions } from './transport';
export { YubiHsmSimulator, serveSimulator, SESSION_TIMEOUT_MS } from './simulator';
export type { SimulatorOptions, SimulatorServer, ServeSimulatorOptions } from './simulator';
export { describeDevice } from './describe';
export type { YubiHsmDescription } from './describe';
export { createYubiHsmHandlers } from './handlers';
export type { YubiHsmHandlerOptions } from './handlers';
export { createYubiHsmCeremonyHandlers, verifyFromAnchor } from './ceremony-handlers';
export type {
  YubiHsmAuditSettings,
  YubiHsmDeviceFacts,
  YubiHsmDeviceRef,
  YubiHsmLogReading,
  YubiHsmOpenedSession,
  YubiHsmPublicKey,
  YubiHsmSessionProof,
} from './host-calls';
