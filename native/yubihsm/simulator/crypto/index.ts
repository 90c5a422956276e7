// The simulator's own cryptography: its asymmetric keys (kept in the bytes the wrap format carries, with ECDSA over
// a pre-hashed digest done here where node:crypto cannot) and the X.509 certificates of its attestation PKI.
export * from './asymmetric-keys';
export * from './certificate';
