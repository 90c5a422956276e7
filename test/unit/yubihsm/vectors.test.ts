import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  COMMAND,
  DERIVATION,
  SecureChannel,
  aesCmac,
  bytesToHex,
  cryptogram,
  decodeCreateSessionResponse,
  decodeDeviceInfo,
  decodeListFilter,
  decodeListResponse,
  decodeWrappedPlaintext,
  deriveKdf,
  deriveSessionKeys,
  encodeCreateSession,
  encodeFrame,
  encodeListFilter,
  encodeListResponse,
  hexToBytes,
  openWrapped,
  parseResponse,
  passwordToKeys,
  sealWrapped,
  capabilitySet,
  CAPABILITY,
  domainSet,
  encodeDeviceInfo,
  YubiHsmError,
  verifyLogChain,
  LogEntry,
  logEntryData,
  chainDigest,
  ALGORITHM,
  OBJECT,
  splitFrame,
} from '../../../native/yubihsm/protocol';

const vectors = JSON.parse(readFileSync(new URL('../../fixtures/yubihsm/vectors.json', import.meta.url), 'utf8'));
const hex = bytesToHex;
const bin = hexToBytes;

describe('password → static keys', () => {
  for (const v of vectors.password_to_keys) {
    it(`derives K-ENC and K-MAC for ${v.password ?? v.password_utf8_hex}`, () => {
      const keys = passwordToKeys(bin(v.password_utf8_hex));
      expect(hex(keys.encKey)).toBe(v.enc_key);
      expect(hex(keys.macKey)).toBe(v.mac_key);
    });
  }
});

describe('KDF primitive', () => {
  it('matches python-yubihsm TestDeriveFct with an AES-256 key and 8-byte context', () => {
    const v = vectors.kdf_primitive;
    const out = deriveKdf(new TextEncoder().encode(v.key_ascii), v.constant, bin(v.context), v.L_bits);
    expect(hex(out)).toBe(v.out);
  });
  it('refuses lengths other than 64 and 128 bits', () => {
    expect(() => deriveKdf(new Uint8Array(16), 4, new Uint8Array(16), 0x20 as 0x40)).toThrow();
  });
  it('AES-CMAC matches RFC 4493 examples', () => {
    const key = bin('2b7e151628aed2a6abf7158809cf4f3c');
    expect(hex(aesCmac(key, new Uint8Array(0)))).toBe('bb1d6929e95937287fa37d129b756746');
    expect(hex(aesCmac(key, bin('6bc1bee22e409f96e93d7e117393172a')))).toBe('070a16b46b4d4144f79bdd9dd04a287c');
    expect(hex(aesCmac(key, bin('6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411')))).toBe('dfa66747de9ae63030ca32611497c827');
  });
});

describe('session handshake and wire messages', () => {
  const v = vectors.session;
  const keys = passwordToKeys('password');

  it('encodes CREATE_SESSION and parses its response', () => {
    const cmd = encodeFrame(COMMAND.CREATE_SESSION, encodeCreateSession(v.auth_key_id, bin(v.host_challenge)));
    expect(hex(cmd)).toBe(v.create_session_cmd);
    const res = decodeCreateSessionResponse(parseResponse(COMMAND.CREATE_SESSION, bin(v.create_session_rsp)));
    expect(res.sessionId).toBe(v.session_id);
    expect(hex(res.cardChallenge)).toBe(v.card_challenge);
    expect(hex(res.cardCryptogram)).toBe(v.card_cryptogram);
  });

  it('derives session keys and cryptograms', () => {
    const context = bin(v.context);
    const sk = deriveSessionKeys(keys, context);
    expect(hex(sk.sEnc)).toBe(v.s_enc);
    expect(hex(sk.sMac)).toBe(v.s_mac);
    expect(hex(sk.sRmac)).toBe(v.s_rmac);
    expect(hex(cryptogram(sk.sMac, DERIVATION.CARD_CRYPTOGRAM, context))).toBe(v.card_cryptogram);
    expect(hex(cryptogram(sk.sMac, DERIVATION.HOST_CRYPTOGRAM, context))).toBe(v.host_cryptogram);
  });

  it('derives the zero-challenge session', () => {
    const z = vectors.session_zero_challenges;
    const context = bin(z.context);
    const sk = deriveSessionKeys(keys, context);
    expect([hex(sk.sEnc), hex(sk.sMac), hex(sk.sRmac)]).toEqual([z.s_enc, z.s_mac, z.s_rmac]);
    expect(hex(cryptogram(sk.sMac, DERIVATION.CARD_CRYPTOGRAM, context))).toBe(z.card_cryptogram);
    expect(hex(cryptogram(sk.sMac, DERIVATION.HOST_CRYPTOGRAM, context))).toBe(z.host_cryptogram);
  });

  it('produces AUTHENTICATE_SESSION, ECHO and CLOSE_SESSION byte for byte, both sides', () => {
    const context = bin(v.context);
    const host = new SecureChannel(v.session_id, deriveSessionKeys(keys, context));
    const card = new SecureChannel(v.session_id, deriveSessionKeys(keys, context));
    const auth = host.authenticateMessage(bin(v.host_cryptogram));
    expect(hex(auth)).toBe(v.authenticate_cmd);
    expect(hex(host.macChain)).toBe(v.mac_chain_after_auth);
    expect(hex(card.verifyAuthenticateMessage(auth)!)).toBe(v.host_cryptogram);
    expect(parseResponse(COMMAND.AUTHENTICATE_SESSION, bin(v.authenticate_rsp)).length).toBe(0);

    for (const m of v.messages) {
      expect(host.counter).toBe(m.counter);
      const inner = bin(m.inner_cmd_padded);
      const innerFrame = inner.subarray(0, 3 + ((inner[1] << 8) | inner[2]));
      const wire = host.wrapCommand(innerFrame);
      expect(hex(wire)).toBe(m.wire_cmd);
      expect(hex(card.unwrapCommand(wire)!)).toBe(hex(innerFrame));
      const rspInner = bin(m.inner_rsp_padded);
      const rspFrame = rspInner.subarray(0, 3 + ((rspInner[1] << 8) | rspInner[2]));
      const wireRsp = card.wrapResponse(rspFrame);
      expect(hex(wireRsp)).toBe(m.wire_rsp);
      const plain = host.unwrapResponse(parseResponse(COMMAND.SESSION_MESSAGE, bin(m.wire_rsp)));
      expect(hex(plain)).toBe(hex(rspFrame));
    }
  });

  it('rejects a response whose MAC was altered', () => {
    const context = bin(v.context);
    const host = new SecureChannel(v.session_id, deriveSessionKeys(keys, context));
    host.authenticateMessage(bin(v.host_cryptogram));
    host.wrapCommand(bin('01000568656c6c6f'));
    const tampered = bin(v.messages[0].wire_rsp);
    tampered[tampered.length - 1] ^= 1;
    expect(() => host.unwrapResponse(parseResponse(COMMAND.SESSION_MESSAGE, tampered))).toThrow(/integrity/);
  });
});

describe('device info', () => {
  it('parses the python-yubihsm response and re-encodes it', () => {
    const v = vectors.device_info_rsp;
    const payload = parseResponse(COMMAND.DEVICE_INFO, bin(v.response));
    const info = decodeDeviceInfo(payload);
    expect(info.version.join('.')).toBe(v.version);
    expect(info.serial).toBe(v.serial);
    expect(info.logTotal).toBe(v.log_total);
    expect(info.logUsed).toBe(v.log_used);
    expect(info.algorithms).toEqual(Array.from({ length: 47 }, (_, i) => i + 1));
    expect(hex(encodeFrame(COMMAND.DEVICE_INFO | 0x80, encodeDeviceInfo(info)))).toBe(v.response);
    expect(hex(encodeFrame(COMMAND.DEVICE_INFO))).toBe(v.request);
  });
});

describe('wrapped object', () => {
  const v = vectors.wrapped_object;
  const blob = new Uint8Array(Buffer.from(v.blob_base64, 'base64'));
  it('opens the yubihsm-wrap blob and decodes its header', () => {
    const plain = openWrapped(bin(v.wrap_key), blob)!;
    expect(hex(plain)).toBe(v.plaintext);
    const p = decodeWrappedPlaintext(plain);
    expect(p.wrapKeyAlgorithm).toBe(v.wrap_key_algorithm);
    expect(p.type).toBe(v.object.type);
    expect(p.id).toBe(v.object.id);
    expect(p.label).toBe(v.object.label);
    expect(p.domains).toBe(domainSet(...v.object.domains));
    expect(p.capabilities).toBe(capabilitySet(CAPABILITY.CHANGE_AUTHENTICATION_KEY, CAPABILITY.GET_LOG_ENTRIES));
    expect(p.algorithm).toBe(ALGORITHM.AES128_YUBICO_AUTHENTICATION);
    const keys = passwordToKeys(v.object.password);
    expect(hex(p.body)).toBe('0000000000000000' + hex(keys.encKey) + hex(keys.macKey));
  });
  it('seals the same plaintext with the same nonce into the same blob', () => {
    expect(hex(sealWrapped(bin(v.wrap_key), bin(v.nonce), bin(v.plaintext)))).toBe(hex(blob));
  });
  it('refuses a blob with a flipped bit', () => {
    const bad = blob.slice();
    bad[20] ^= 1;
    expect(openWrapped(bin(v.wrap_key), bad)).toBeNull();
  });
});

function entry(e: {
  number: number;
  cmd: number;
  length: number;
  session_key: number;
  target_key: number;
  second_key: number;
  result: number;
  tick: number;
  digest: string;
}): LogEntry {
  return {
    number: e.number,
    command: e.cmd,
    length: e.length,
    sessionKey: e.session_key,
    targetKey: e.target_key,
    secondKey: e.second_key,
    result: e.result,
    systick: e.tick,
    digest: bin(e.digest),
  };
}

describe('audit log chains', () => {
  const a = vectors.audit_log;
  it('validates the python pair and rejects tampering and reordering', () => {
    const e1 = a.python_pair.e1;
    const e2 = a.python_pair.e2;
    expect(hex(chainDigest(bin(e2.data), bin(e1.digest)))).toBe(e2.digest);
    expect(hex(chainDigest(bin(e2.data), bin(e1.digest)))).not.toBe(e2.digest.slice(0, -2) + 'a8');
  });
  for (const name of ['real_device_after_reset', 'real_device_items_46_51']) {
    it(`verifies ${name} from its first entry as anchor`, () => {
      const entries: LogEntry[] = a[name].entries.map(entry);
      const result = verifyLogChain(entries.slice(1), entries[0]);
      expect(result.lastVerified.number).toBe(entries[entries.length - 1].number);
      expect(result.newEntries.length).toBe(entries.length - 1);
      expect(verifyLogChain(entries).newEntries.length).toBe(entries.length);
    });
  }
  it('detects a gap, an altered entry and an altered anchor', () => {
    const entries: LogEntry[] = a.real_device_items_46_51.entries.map(entry);
    expect(() => verifyLogChain([entries[0], entries[2]])).toThrow(/missing/);
    const altered = entries.map((e) => ({ ...e }));
    altered[3].targetKey = 2;
    expect(() => verifyLogChain(altered.slice(1), entries[0])).toThrow(/digest chain/);
    const fakeAnchor = { ...entries[0], digest: new Uint8Array(16) };
    expect(() => verifyLogChain(entries.slice(1), fakeAnchor)).toThrow(YubiHsmError);
    expect(() => verifyLogChain(entries, fakeAnchor)).toThrow(/differs/);
    expect(hex(logEntryData(entries[0]))).toHaveLength(32);
  });
});

describe('LIST_OBJECTS', () => {
  const v = vectors.list_objects;
  it('encodes all filters and decodes the response', () => {
    const f = v.request_filters;
    const payload = encodeListFilter({
      id: f.id,
      type: f.type as OBJECT,
      domains: f.domains,
      capabilities: BigInt('0x' + f.capabilities),
      algorithm: f.algorithm,
    });
    expect(hex(payload)).toBe(v.request_payload);
    expect(decodeListFilter(payload)).toEqual({ id: 2, type: 1, domains: 0xffff, capabilities: 0x00ffffffffffffffn, algorithm: 21 });
    const objects = decodeListResponse(bin(v.response_payload));
    expect(objects).toEqual(v.objects);
    expect(hex(encodeListResponse(objects))).toBe(v.response_payload);
  });
  it('round-trips the label filter', () => {
    expect(decodeListFilter(encodeListFilter({ label: 'ops-key' }))).toEqual({ label: 'ops-key' });
  });
});

describe('response parsing', () => {
  const v = vectors.response_parsing;
  it('counts only the declared payload', () => {
    expect(hex(parseResponse(COMMAND.AUTHENTICATE_SESSION, bin(v.ok.raw)))).toBe(v.ok.payload);
  });
  it('turns a 7f frame into a typed device error', () => {
    try {
      parseResponse(COMMAND.AUTHENTICATE_SESSION, bin(v.device_error.raw));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(YubiHsmError);
      // 7f 0001 00 …: the error byte is 00 (OK); the bytes after the declared length are ignored.
      expect((e as YubiHsmError).code).toBe('OK');
      expect((e as YubiHsmError).deviceCode).toBe(0);
    }
  });
  for (const bad of v.invalid) {
    it(`rejects ${bad.why}`, () => {
      expect(() => splitFrame(bin(bad.raw))).toThrow(YubiHsmError);
      expect(() => parseResponse(COMMAND.AUTHENTICATE_SESSION, bin(bad.raw))).toThrow(YubiHsmError);
    });
  }
  it('rejects a response to another command', () => {
    expect(() => parseResponse(COMMAND.ECHO, bin(v.ok.raw))).toThrow(/different command/);
  });
});
