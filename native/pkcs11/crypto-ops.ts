import { createHash } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { CKA, CKK } from './constants';
import type { Cryptoki, Handle } from './cryptoki';
import { readAttributes } from './attributes';
import { LayerErrorCode, Pkcs11LayerError, ckrOf } from './errors';
import { chooseSignatureMechanism, type ChosenSignature, type SignatureMechanism } from './mechanisms';
import { describeRef, findOne, type ObjectRef } from './objects';
import type { TokenSession } from './sessions';

/**
 * Sign, verify and random bytes. A single signature uses the asynchronous pkcs11js call (an RSA-4096 signature on a
 * slow HSM takes long enough to matter). A batch runs synchronous calls in slices of a few milliseconds and yields to
 * the event loop between slices: a thread hop per message would cost more than the signature itself on fast tokens,
 * and the slices keep the device host responsive to other calls and to cancellation.
 */

/** Big enough for RSA-8192; the result is copied out of it. */
const SIGNATURE_BUFFER_BYTES = 1024;
const SLICE_MS = 8;

function checkKeyType(cryptoki: Cryptoki, session: Handle, key: Handle, mech: SignatureMechanism, algorithm: string, ref: ObjectRef): void {
  const { CKA_KEY_TYPE: keyType } = readAttributes(cryptoki, session, key, [CKA.CKA_KEY_TYPE]);
  if (keyType !== mech.keyType) {
    throw new Pkcs11LayerError(
      'KeyTypeInconsistent',
      `${describeRef(ref)} is a ${CKK[keyType as number] ?? 'different'} key and cannot make ${algorithm} signatures.`,
      { algorithm },
    );
  }
}

function input(chosen: ChosenSignature, data: Uint8Array): Buffer {
  const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return chosen.prehash ? createHash(chosen.prehash).update(view).digest() : view;
}

function privateRef(ref: ObjectRef): ObjectRef {
  return { ...ref, class: 'privateKey' };
}

export async function sign(session: TokenSession, ref: ObjectRef, algorithm: string, data: Uint8Array): Promise<Uint8Array> {
  const chosen = chooseSignatureMechanism(algorithm, session.mechanisms());
  const keyRef = privateRef(ref);
  return session.use(`signing with ${describeRef(keyRef)}`, async (handle, cryptoki) => {
    const key = findOne(cryptoki, handle, keyRef);
    checkKeyType(cryptoki, handle, key, chosen.spec, algorithm, keyRef);
    cryptoki.C_SignInit(handle, chosen.mechanism, key);
    const out = await cryptoki.C_SignAsync(handle, input(chosen, data), Buffer.alloc(SIGNATURE_BUFFER_BYTES));
    return new Uint8Array(out);
  });
}

export async function signBatch(
  session: TokenSession,
  ref: ObjectRef,
  algorithm: string,
  messages: readonly Uint8Array[],
  signal?: AbortSignal,
): Promise<Uint8Array[]> {
  const chosen = chooseSignatureMechanism(algorithm, session.mechanisms());
  const keyRef = privateRef(ref);
  return session.use(`signing ${messages.length} messages with ${describeRef(keyRef)}`, async (handle, cryptoki) => {
    const key = findOne(cryptoki, handle, keyRef);
    checkKeyType(cryptoki, handle, key, chosen.spec, algorithm, keyRef);
    const out = Buffer.alloc(SIGNATURE_BUFFER_BYTES);
    const signatures: Uint8Array[] = [];
    let sliceStart = performance.now();
    for (const message of messages) {
      cryptoki.C_SignInit(handle, chosen.mechanism, key);
      signatures.push(new Uint8Array(cryptoki.C_Sign(handle, input(chosen, message), out)));
      if (performance.now() - sliceStart > SLICE_MS) {
        await yieldToEventLoop();
        if (signal?.aborted)
          throw new Pkcs11LayerError(LayerErrorCode.Aborted, `Signing was cancelled after ${signatures.length} of ${messages.length} messages.`);
        sliceStart = performance.now();
      }
    }
    return signatures;
  });
}

export async function verify(session: TokenSession, ref: ObjectRef, algorithm: string, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
  const chosen = chooseSignatureMechanism(algorithm, session.mechanisms());
  const keyRef: ObjectRef = { ...ref, class: 'publicKey' };
  return session.use(`verifying with ${describeRef(keyRef)}`, async (handle, cryptoki) => {
    const key = findOne(cryptoki, handle, keyRef);
    checkKeyType(cryptoki, handle, key, chosen.spec, algorithm, keyRef);
    cryptoki.C_VerifyInit(handle, chosen.mechanism, key);
    try {
      return await cryptoki.C_VerifyAsync(handle, input(chosen, data), Buffer.from(signature));
    } catch (e) {
      const ckr = ckrOf(e);
      if (ckr === 'CKR_SIGNATURE_INVALID' || ckr === 'CKR_SIGNATURE_LEN_RANGE') return false;
      throw e;
    }
  });
}

/** Random bytes from the token's generator (C_GenerateRandom is synchronous in pkcs11js; 64 KiB at most per call). */
export async function random(session: TokenSession, length: number): Promise<Uint8Array> {
  if (!Number.isInteger(length) || length < 1 || length > 65536) {
    throw new Pkcs11LayerError(LayerErrorCode.InvalidParams, 'Ask for 1 to 65536 random bytes.');
  }
  return session.use('drawing random bytes from the token', (handle, cryptoki) => new Uint8Array(cryptoki.C_GenerateRandom(handle, Buffer.alloc(length))));
}
