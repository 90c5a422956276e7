export { YubiHsmClient } from './client';
export type { ClientOptions } from './client';
export { YubiHsmSession } from './session';
export type { AuthSecret, NewAuthKey } from './session';
export type { SessionOptions } from './secure-session';
