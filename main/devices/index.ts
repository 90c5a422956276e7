// The devices as main sees them: the device-host client and its supervision (host-client), how a Node host starts
// it (node-launcher), the PKCS#11 and YubiHSM calls through it, the device panel's probes and snapshot
// (device-service, probes, network), the rehearsal token, and the share-card printer (CUPS).
export * from './host-client';
export * from './node-launcher';
export * from './pkcs11-client';
export * from './yubihsm-client';
export * from './device-service';
export * from './probes';
export * from './network';
export * from './rehearsal';
export * from './share-printer';
export * from './module-file';
export * from './device-judge';
