export { modulePathOf, pkcs11Services, Pkcs11SessionStore, secretText, sessionSlot, tokenOf, type Pkcs11Services } from './context';
export { counterSentence, pinFlags, registerTokenActions, tokenFacts, withLoggedInSession } from './token-actions';
