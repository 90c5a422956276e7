/**
 * Every CKR_ return value of PKCS#11 v2.40 (plus the v3.0 ones a module may send), each with the error code our
 * programs test and a sentence a custodian can read. The numbers are the standard's; the sentences are ours.
 */
export interface ReturnValueInfo {
  /** The standard's name, e.g. CKR_PIN_INCORRECT. */
  readonly ckr: string;
  /** What our code tests, e.g. PinIncorrect. */
  readonly code: string;
  /** A sentence for people. */
  readonly sentence: string;
}

const TABLE: ReadonlyArray<readonly [number, string, string, string]> = [
  [0x0, 'CKR_OK', 'Ok', 'The operation succeeded.'],
  [0x1, 'CKR_CANCEL', 'Cancelled', 'The operation was cancelled.'],
  [0x2, 'CKR_HOST_MEMORY', 'HostMemory', 'The computer ran out of memory for the token library.'],
  [0x3, 'CKR_SLOT_ID_INVALID', 'SlotInvalid', 'The token slot no longer exists; the device may have been unplugged.'],
  [0x5, 'CKR_GENERAL_ERROR', 'GeneralError', 'The token library reported an unrecoverable error.'],
  [0x6, 'CKR_FUNCTION_FAILED', 'FunctionFailed', 'The token could not carry out the request.'],
  [0x7, 'CKR_ARGUMENTS_BAD', 'ArgumentsBad', 'The token library rejected the request as malformed.'],
  [0x8, 'CKR_NO_EVENT', 'NoEvent', 'No slot event is waiting.'],
  [0x9, 'CKR_NEED_TO_CREATE_THREADS', 'NeedToCreateThreads', 'The token library needs to create threads and was told it may not.'],
  [0xa, 'CKR_CANT_LOCK', 'CantLock', 'The token library cannot use the locking that was asked for.'],
  [0x10, 'CKR_ATTRIBUTE_READ_ONLY', 'AttributeReadOnly', 'An attribute cannot be set or changed by this user.'],
  [0x11, 'CKR_ATTRIBUTE_SENSITIVE', 'AttributeSensitive', 'The token refuses to reveal a sensitive attribute.'],
  [0x12, 'CKR_ATTRIBUTE_TYPE_INVALID', 'AttributeTypeInvalid', 'The token does not know one of the attributes asked for.'],
  [0x13, 'CKR_ATTRIBUTE_VALUE_INVALID', 'AttributeValueInvalid', 'The token rejected the value of an attribute.'],
  [0x1b, 'CKR_ACTION_PROHIBITED', 'ActionProhibited', 'The token prohibits this action on this object.'],
  [0x20, 'CKR_DATA_INVALID', 'DataInvalid', 'The data given to the token is not valid for this operation.'],
  [0x21, 'CKR_DATA_LEN_RANGE', 'DataLengthRange', 'The data given to the token has the wrong length.'],
  [0x30, 'CKR_DEVICE_ERROR', 'DeviceError', 'The device reported a hardware error.'],
  [0x31, 'CKR_DEVICE_MEMORY', 'DeviceMemory', 'The token has run out of memory.'],
  [0x32, 'CKR_DEVICE_REMOVED', 'DeviceRemoved', 'The device was removed during the operation.'],
  [0x40, 'CKR_ENCRYPTED_DATA_INVALID', 'EncryptedDataInvalid', 'The encrypted data is not valid.'],
  [0x41, 'CKR_ENCRYPTED_DATA_LEN_RANGE', 'EncryptedDataLengthRange', 'The encrypted data has the wrong length.'],
  [0x50, 'CKR_FUNCTION_CANCELED', 'FunctionCanceled', 'The operation was cancelled on the token.'],
  [0x51, 'CKR_FUNCTION_NOT_PARALLEL', 'FunctionNotParallel', 'No operation is running in parallel.'],
  [0x54, 'CKR_FUNCTION_NOT_SUPPORTED', 'FunctionNotSupported', 'The token library does not support this function.'],
  [0x60, 'CKR_KEY_HANDLE_INVALID', 'KeyHandleInvalid', 'The key is no longer available in this session; look it up again.'],
  [0x62, 'CKR_KEY_SIZE_RANGE', 'KeySizeRange', 'The token does not support this key size.'],
  [0x63, 'CKR_KEY_TYPE_INCONSISTENT', 'KeyTypeInconsistent', 'This key is of the wrong type for this operation.'],
  [0x64, 'CKR_KEY_NOT_NEEDED', 'KeyNotNeeded', 'A key was given where none is needed.'],
  [0x65, 'CKR_KEY_CHANGED', 'KeyChanged', 'The key changed during the operation.'],
  [0x66, 'CKR_KEY_NEEDED', 'KeyNeeded', 'The operation needs a key that was not given.'],
  [0x67, 'CKR_KEY_INDIGESTIBLE', 'KeyIndigestible', 'The key cannot be digested.'],
  [0x68, 'CKR_KEY_FUNCTION_NOT_PERMITTED', 'KeyFunctionNotPermitted', "The key's policy does not allow this operation."],
  [0x69, 'CKR_KEY_NOT_WRAPPABLE', 'KeyNotWrappable', 'The key may not be wrapped by this wrapping key (it needs a trusted wrapping key).'],
  [0x6a, 'CKR_KEY_UNEXTRACTABLE', 'KeyUnextractable', 'The key is marked never extractable and cannot be backed up.'],
  [0x70, 'CKR_MECHANISM_INVALID', 'MechanismInvalid', 'The token does not support this algorithm for this key.'],
  [0x71, 'CKR_MECHANISM_PARAM_INVALID', 'MechanismParamInvalid', 'The token rejected the algorithm parameters.'],
  [0x82, 'CKR_OBJECT_HANDLE_INVALID', 'ObjectHandleInvalid', 'The object is no longer available in this session; look it up again.'],
  [0x90, 'CKR_OPERATION_ACTIVE', 'OperationActive', 'Another operation is already running in this session.'],
  [0x91, 'CKR_OPERATION_NOT_INITIALIZED', 'OperationNotInitialized', 'No operation was started in this session.'],
  [0xa0, 'CKR_PIN_INCORRECT', 'PinIncorrect', 'Wrong PIN.'],
  [0xa1, 'CKR_PIN_INVALID', 'PinInvalid', 'The new PIN contains characters the token does not accept.'],
  [0xa2, 'CKR_PIN_LEN_RANGE', 'PinLengthRange', 'The PIN is too short or too long for this token.'],
  [0xa3, 'CKR_PIN_EXPIRED', 'PinExpired', 'The PIN has expired and must be changed.'],
  [0xa4, 'CKR_PIN_LOCKED', 'PinLocked', 'The PIN is locked: too many wrong tries. The Security Officer must reset it.'],
  [0xb0, 'CKR_SESSION_CLOSED', 'SessionClosed', 'The session with the token was closed during the operation.'],
  [0xb1, 'CKR_SESSION_COUNT', 'SessionCount', 'The token has too many open sessions.'],
  [0xb3, 'CKR_SESSION_HANDLE_INVALID', 'SessionHandleInvalid', 'The session with the token is no longer valid; the device may have been reset or unplugged.'],
  [0xb4, 'CKR_SESSION_PARALLEL_NOT_SUPPORTED', 'SessionParallelNotSupported', 'The token does not support parallel sessions.'],
  [0xb5, 'CKR_SESSION_READ_ONLY', 'SessionReadOnly', 'This session is read-only; open a read-write session to change the token.'],
  [0xb6, 'CKR_SESSION_EXISTS', 'SessionExists', 'Sessions are still open with the token; close them first.'],
  [0xb7, 'CKR_SESSION_READ_ONLY_EXISTS', 'SessionReadOnlyExists', 'A read-only session is open, so the Security Officer cannot log in.'],
  [0xb8, 'CKR_SESSION_READ_WRITE_SO_EXISTS', 'SessionReadWriteSoExists', 'The Security Officer is logged in, so no read-only session can be opened.'],
  [0xc0, 'CKR_SIGNATURE_INVALID', 'SignatureInvalid', 'The signature does not verify.'],
  [0xc1, 'CKR_SIGNATURE_LEN_RANGE', 'SignatureLengthRange', 'The signature has the wrong length.'],
  [0xd0, 'CKR_TEMPLATE_INCOMPLETE', 'TemplateIncomplete', 'The key description is missing attributes the token requires.'],
  [0xd1, 'CKR_TEMPLATE_INCONSISTENT', 'TemplateInconsistent', 'The key description has attributes that contradict each other.'],
  [0xe0, 'CKR_TOKEN_NOT_PRESENT', 'TokenNotPresent', 'The token is not present; it may have been unplugged.'],
  [0xe1, 'CKR_TOKEN_NOT_RECOGNIZED', 'TokenNotRecognized', 'The token in the slot is not recognised.'],
  [0xe2, 'CKR_TOKEN_WRITE_PROTECTED', 'TokenWriteProtected', 'The token is write-protected.'],
  [0xf0, 'CKR_UNWRAPPING_KEY_HANDLE_INVALID', 'UnwrappingKeyHandleInvalid', 'The unwrapping key is not available in this session.'],
  [0xf1, 'CKR_UNWRAPPING_KEY_SIZE_RANGE', 'UnwrappingKeySizeRange', 'The unwrapping key has an unsupported size.'],
  [0xf2, 'CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT', 'UnwrappingKeyTypeInconsistent', 'The unwrapping key is of the wrong type.'],
  [0x100, 'CKR_USER_ALREADY_LOGGED_IN', 'UserAlreadyLoggedIn', 'This user is already logged in to the token.'],
  [0x101, 'CKR_USER_NOT_LOGGED_IN', 'UserNotLoggedIn', 'Log in to the token first.'],
  [0x102, 'CKR_USER_PIN_NOT_INITIALIZED', 'UserPinNotInitialized', 'The user PIN has not been set on this token yet.'],
  [0x103, 'CKR_USER_TYPE_INVALID', 'UserTypeInvalid', 'The token does not know this kind of user.'],
  [0x104, 'CKR_USER_ANOTHER_ALREADY_LOGGED_IN', 'UserAnotherAlreadyLoggedIn', 'Another user is logged in to the token; log them out first.'],
  [0x105, 'CKR_USER_TOO_MANY_TYPES', 'UserTooManyTypes', 'Too many different users are logged in to the token.'],
  [0x110, 'CKR_WRAPPED_KEY_INVALID', 'WrappedKeyInvalid', 'The wrapped key is damaged or was wrapped under a different key-encryption key.'],
  [0x112, 'CKR_WRAPPED_KEY_LEN_RANGE', 'WrappedKeyLengthRange', 'The wrapped key has the wrong length.'],
  [0x113, 'CKR_WRAPPING_KEY_HANDLE_INVALID', 'WrappingKeyHandleInvalid', 'The wrapping key is not available in this session.'],
  [0x114, 'CKR_WRAPPING_KEY_SIZE_RANGE', 'WrappingKeySizeRange', 'The wrapping key has an unsupported size.'],
  [0x115, 'CKR_WRAPPING_KEY_TYPE_INCONSISTENT', 'WrappingKeyTypeInconsistent', 'The wrapping key is of the wrong type.'],
  [0x120, 'CKR_RANDOM_SEED_NOT_SUPPORTED', 'RandomSeedNotSupported', 'The token does not accept random seed.'],
  [0x121, 'CKR_RANDOM_NO_RNG', 'RandomNoRng', 'The token has no random number generator.'],
  [0x130, 'CKR_DOMAIN_PARAMS_INVALID', 'DomainParamsInvalid', 'The token does not support this curve or these domain parameters.'],
  [0x140, 'CKR_CURVE_NOT_SUPPORTED', 'CurveNotSupported', 'The token does not support this curve.'],
  [0x150, 'CKR_BUFFER_TOO_SMALL', 'BufferTooSmall', 'The output buffer was too small.'],
  [0x160, 'CKR_SAVED_STATE_INVALID', 'SavedStateInvalid', 'The saved operation state is not valid.'],
  [0x170, 'CKR_INFORMATION_SENSITIVE', 'InformationSensitive', 'The token refuses to reveal sensitive information.'],
  [0x180, 'CKR_STATE_UNSAVEABLE', 'StateUnsaveable', 'The operation state cannot be saved.'],
  [0x190, 'CKR_CRYPTOKI_NOT_INITIALIZED', 'CryptokiNotInitialized', 'The token library has not been started.'],
  [0x191, 'CKR_CRYPTOKI_ALREADY_INITIALIZED', 'CryptokiAlreadyInitialized', 'The token library was already started.'],
  [0x1a0, 'CKR_MUTEX_BAD', 'MutexBad', 'The token library reported a locking error.'],
  [0x1a1, 'CKR_MUTEX_NOT_LOCKED', 'MutexNotLocked', 'The token library reported a locking error.'],
  [0x1b0, 'CKR_NEW_PIN_MODE', 'NewPinMode', 'The token asks for a new PIN.'],
  [0x1b1, 'CKR_NEXT_OTP', 'NextOtp', 'The token asks for the next one-time password.'],
  [0x1b5, 'CKR_EXCEEDED_MAX_ITERATIONS', 'ExceededMaxIterations', 'The token gave up after too many iterations.'],
  [0x1b6, 'CKR_FIPS_SELF_TEST_FAILED', 'FipsSelfTestFailed', 'The token failed its self-test and must not be used.'],
  [0x1b7, 'CKR_LIBRARY_LOAD_FAILED', 'LibraryLoadFailed', 'The token library could not load a library it depends on.'],
  [0x1b8, 'CKR_PIN_TOO_WEAK', 'PinTooWeak', 'The token considers this PIN too weak.'],
  [0x1b9, 'CKR_PUBLIC_KEY_INVALID', 'PublicKeyInvalid', 'The public key is not valid.'],
  [0x200, 'CKR_FUNCTION_REJECTED', 'FunctionRejected', 'The token rejected the request.'],
  [0x1b2, 'CKR_OPERATION_CANCEL_FAILED', 'OperationCancelFailed', 'The token could not cancel the operation.'],
];

const BY_NUMBER = new Map<number, ReturnValueInfo>(TABLE.map(([value, ckr, code, sentence]) => [value, { ckr, code, sentence }]));
const BY_NAME = new Map<string, number>(TABLE.map(([value, ckr]) => [ckr, value]));

/** CKR_VENDOR_DEFINED: values from here on are the vendor's own. */
const CKR_VENDOR_DEFINED = 0x80000000;

export function returnValueInfo(value: number): ReturnValueInfo {
  const known = BY_NUMBER.get(value);
  if (known) return known;
  const hex = `0x${value.toString(16).padStart(8, '0')}`;
  if (value >= CKR_VENDOR_DEFINED) {
    return { ckr: `CKR_VENDOR_DEFINED(${hex})`, code: 'VendorDefined', sentence: `The token reported a vendor-specific error (${hex}).` };
  }
  return { ckr: `CKR_UNKNOWN(${hex})`, code: 'UnknownReturnValue', sentence: `The token reported an error this program does not know (${hex}).` };
}

export function returnValueByName(ckr: string): number | undefined {
  return BY_NAME.get(ckr);
}

export function allReturnValues(): number[] {
  return [...BY_NUMBER.keys()];
}

/** Return values that mean the device or token is gone: the session pool is dead and the UI must know. */
export const DEVICE_LOST_RETURN_VALUES: ReadonlySet<string> = new Set([
  'CKR_DEVICE_REMOVED',
  'CKR_TOKEN_NOT_PRESENT',
  'CKR_SESSION_HANDLE_INVALID',
  'CKR_DEVICE_ERROR',
  'CKR_SESSION_CLOSED',
  'CKR_SLOT_ID_INVALID',
]);
