import { createRequire } from 'node:module';
import type * as Pkcs11js from 'pkcs11js';

/**
 * The one place pkcs11js is required. It is a CommonJS native addon whose exports are not visible to ESM named
 * imports, so we require it; tests may substitute a fake that has the same shape (`CryptokiFactory`).
 */
export type Cryptoki = Pkcs11js.PKCS11;
export type Handle = Buffer;
export type CkAttribute = Pkcs11js.Attribute;
export type CkMechanism = Pkcs11js.Mechanism;
export type CkTokenInfo = Pkcs11js.TokenInfo;
export type CkSlotInfo = Pkcs11js.SlotInfo;

export type CryptokiFactory = () => Cryptoki;

let pkcs11jsModule: typeof Pkcs11js | undefined;

function loadPkcs11js(): typeof Pkcs11js {
  if (!pkcs11jsModule) {
    const require = createRequire(import.meta.url);
    pkcs11jsModule = require('pkcs11js') as typeof Pkcs11js;
  }
  return pkcs11jsModule;
}

export const realCryptokiFactory: CryptokiFactory = () => new (loadPkcs11js().PKCS11)();
