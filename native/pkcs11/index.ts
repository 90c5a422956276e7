/** PKCS#11 layer of the device host: the handler table and the types its results carry. */
export { createPkcs11Handlers, type Pkcs11HandlerOptions } from './handlers';
export { Pkcs11Host } from './host';
export { Pkcs11LayerError, LayerErrorCode, wrongPinSentence, type PinCounterState } from './errors';
export { returnValueInfo, allReturnValues, DEVICE_LOST_RETURN_VALUES, type ReturnValueInfo } from './return-values';
export { CKA, CKF_MECHANISM, CKF_TOKEN, CKK, CKM, CKO, CKU } from './constants';
export type { ModuleInfo } from './module-loader';
export type { ModuleBehaviour, IdSizes, Learned } from './module-behaviour';
export type { TokenDescription, TokenFlags, TokenSelector, MechanismDescription } from './tokens';
export type { DeviceLostEvent, UserKind } from './sessions';
export type { PinCounters } from './pin';
export type { ObjectRef, ObjectSummary, ObjectClassName } from './objects';
export type { AttributeChanges, AttributeChangeResult } from './attribute-changes';
export type { GenerateKeyRequest, GeneratedKey, PolicyCheck } from './key-generation';
export { POLICIES, ALGORITHMS, type KeyAlgorithm, type PolicyName, type PolicyDifference } from './key-policies';
export { SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from './mechanisms';
export type { ExportedPublicKey } from './public-key';
export type { WrappedKey, UnwrappedKey, KekRole } from './wrap';
