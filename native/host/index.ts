// The device host's public face for the native modules and for main: the wire protocol between main and the host,
// and the shape of a handler table (the entry itself, main.ts, starts the host and is never imported).
export * from './protocol';
export * from './handlers';
export * from './codes';
