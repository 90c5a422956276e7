// The YubiHSM 2 commands, one file per group, each with its request encoders and response decoders (the client's
// side) and the reverse (the simulator's side): device and sessions, objects, wrapping, asymmetric keys, the audit
// log, opaque objects, attestation.
export * from './core';
export * from './objects';
export * from './wrap';
export * from './asymmetric';
export * from './log';
export * from './opaque';
export * from './attestation';
