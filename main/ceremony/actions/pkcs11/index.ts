export { missingTokenSentence, modulePathOf, pkcs11Services, Pkcs11SessionStore, secretInputBytes, sessionSlot, tokenOf, type Pkcs11Services } from './context';
export { counterSentence, pinFlags, registerTokenActions, tokenFacts, tokenStatus, withLoggedInSession } from './token-actions';
