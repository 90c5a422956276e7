import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { assertNoSecretValues, Journal, JournalError, JournalErrorCode, type JsonValue } from '../../../main/journal';
import { makeShareSet } from '../../../main/shares';

type Encoding = 'raw' | 'hex' | 'HEX' | 'mixed-hex' | 'base64' | 'base64-unpadded' | 'base64url';
const ENCODINGS: Encoding[] = ['raw', 'hex', 'HEX', 'mixed-hex', 'base64', 'base64-unpadded', 'base64url'];

function encode(secret: Uint8Array, encoding: Encoding): string {
  const b = Buffer.from(secret);
  switch (encoding) {
    case 'raw':
      return b.toString('utf8');
    case 'hex':
      return b.toString('hex');
    case 'HEX':
      return b.toString('hex').toUpperCase();
    case 'mixed-hex':
      return [...b.toString('hex')].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join('');
    case 'base64':
      return b.toString('base64');
    case 'base64-unpadded':
      return b.toString('base64').replace(/=+$/, '');
    case 'base64url':
      return b.toString('base64url');
  }
}

/** A random secret: text (a PIN, a password) or random bytes (a KEK), long enough to be matched inside other text. */
const secretArb = fc.oneof(
  fc.stringMatching(/^[0-9A-Za-z!#%&*+.:;=?@^_~]{8,40}$/).map((s) => new TextEncoder().encode(s)),
  fc.uint8Array({ minLength: 8, maxLength: 64 }),
);

/** A random event shape with the leak placed at a random depth, and the path an error must name. */
const keyArb = fc.stringMatching(/^[a-z][a-zA-Z]{0,9}$/).filter((k) => k !== '__proto__' && k !== 'constructor');
const leakPlacement = fc.record({
  keys: fc.array(fc.oneof(keyArb, fc.nat({ max: 3 })), { minLength: 1, maxLength: 4 }),
  before: fc.stringMatching(/^[ a-z:]{0,12}$/),
  after: fc.stringMatching(/^[ a-z.]{0,12}$/),
  around: fc.dictionary(keyArb, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
});

function place(value: string, keys: (string | number)[], around: Record<string, unknown>): { data: JsonValue; path: string } {
  let node: JsonValue = value;
  let path = '';
  for (const key of [...keys].reverse()) {
    if (typeof key === 'number') node = [...Array.from({ length: key }, (_, i) => i), node];
    else node = { [key]: node };
  }
  for (const key of keys) path += typeof key === 'number' ? `[${key}]` : `.${key}`;
  const first = keys[0];
  const data = typeof first === 'string' ? { ...(around as Record<string, JsonValue>), ...(node as Record<string, JsonValue>) } : { list: node };
  return { data, path: typeof first === 'string' ? `data${path}` : `data.list${path}` };
}

function refusalOf(run: () => void): JournalError | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof JournalError) return error;
    throw error;
  }
  return undefined;
}

describe('the journal refuses secret values, not only names', () => {
  it('refuses any held secret as raw text, hex (any case), base64 or base64url, anywhere in any event shape, naming the path, never the value (property)', () => {
    fc.assert(
      fc.property(secretArb, fc.constantFrom(...ENCODINGS), leakPlacement, fc.array(secretArb, { maxLength: 3 }), (secret, encoding, placement, others) => {
        const text = encode(secret, encoding);
        fc.pre(encoding !== 'raw' || new TextDecoder().decode(secret) === text); // raw only for text secrets
        fc.pre(encoding !== 'raw' || !/[\uFFFD]/.test(text));
        const { data, path } = place(`${placement.before}${text}${placement.after}`, placement.keys, placement.around);
        const error = refusalOf(() => assertNoSecretValues(data, [...others, secret]));
        expect(error?.code).toBe(JournalErrorCode.SecretValue);
        expect(error?.message).toContain(`"${path}"`);
        for (const form of ENCODINGS) if (encode(secret, form).length >= 4) expect(error?.message).not.toContain(encode(secret, form));
      }),
      { numRuns: 400 },
    );
  });

  it('lets events through that hold none of the secrets (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 16, maxLength: 64 }), { minLength: 1, maxLength: 4 }), fc.jsonValue({ maxDepth: 3 }), (secrets, data) => {
        expect(() => assertNoSecretValues({ data }, secrets)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a share’s text however it is grouped or cased', async () => {
    const set = await makeShareSet(new Uint8Array(randomBytes(32)), { entropyBits: 256, n: 3, m: 2 });
    const share = set.shares[0];
    for (const leaked of [share.text, share.grouped, share.grouped.toUpperCase(), share.groups.join('-')]) {
      const error = refusalOf(() => assertNoSecretValues({ note: `card says ${leaked}` }, [share.text]));
      expect(error?.message).toContain('"data.note"');
      expect(error?.message).not.toContain(share.groups[1]);
    }
    // another share of the same set is not this one
    expect(() => assertNoSecretValues({ note: set.shares[1].text }, [share.text])).not.toThrow();
  });

  it('refuses a short PIN only as a whole value, so a serial number holding its digits still passes', () => {
    const pin = new TextEncoder().encode('4711');
    expect(refusalOf(() => assertNoSecretValues({ typed: '4711' }, [pin]))?.code).toBe(JournalErrorCode.SecretValue);
    expect(refusalOf(() => assertNoSecretValues({ typed: 4711 }, [pin]))?.code).toBe(JournalErrorCode.SecretValue);
    expect(() => assertNoSecretValues({ serial: '0000471100' }, [pin])).not.toThrow();
    // zeroed bytes are nothing to guard
    expect(() => assertNoSecretValues({ a: '00000000000000000000' }, [new Uint8Array(10)])).not.toThrow();
  });

  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('Journal.append refuses while the secret is held and writes nothing; after it is zeroed the same event passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'value-guard-'));
    dirs.push(dir);
    const journal = await Journal.create(join(dir, 'journal.jsonl'), { scriptSha256: '0'.repeat(64), appVersion: 'test', devices: [] });
    const kek = new Uint8Array(randomBytes(32));
    const hex = Buffer.from(kek).toString('hex');
    journal.guardSecretValues(() => [kek]);
    expect(() => journal.append('test.event', { result: { note: hex } })).toThrow(expect.objectContaining({ code: JournalErrorCode.SecretValue }));
    expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8')).not.toContain(hex);
    kek.fill(0);
    await journal.append('test.event', { result: { note: hex } });
    await journal.release();
  });
});
