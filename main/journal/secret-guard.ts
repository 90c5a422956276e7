import { JournalError, JournalErrorCode } from '../errors';

/**
 * The last line of defence against a secret reaching the disk: before an event is written, every key in
 * its data is split into words (camelCase, snake_case, kebab-case, digits) and refused if a word names a
 * secret — unless another word in the same key says it is only public information about that secret
 * (a commitment, a check value, a count, an index...). So `soPin`, `user_pin`, `share`, `kek`, `secretKey`
 * and `password2` are refused, while `shareCommitment`, `kekCheckValue`, `pinCounters`, `shareIndex` pass.
 *
 * It checks key names only, never values: a program that puts a PIN in a field called `note` is not
 * caught here — the engine keeps secret inputs out of event data by construction.
 */
const SECRET_WORDS = new Set([
  'pin',
  'pins',
  'sopin',
  'password',
  'passwords',
  'passphrase',
  'share',
  'shares',
  'kek',
  'keks',
  'secret',
  'secrets',
  'mnemonic',
  'seed',
  'privatekey',
  'authkey',
]);

const PUBLIC_QUALIFIERS = new Set([
  'commitment',
  'commitments',
  'check',
  'checkvalue',
  'kcv',
  'hash',
  'hashes',
  'digest',
  'sha256',
  'fingerprint',
  'count',
  'counts',
  'counter',
  'counters',
  'index',
  'indexes',
  'indices',
  'threshold',
  'id',
  'ids',
  'label',
  'labels',
  'length',
  'len',
  'policy',
  'tries',
  'retries',
  'status',
  'set',
  'setid',
  'format',
  'version',
  'type',
  'algorithm',
  'holder',
  'holders',
  'owner',
  'provided',
  'changed',
  'reset',
  'locked',
  'low',
  'final',
  'set',
  'number',
  'total',
  'of',
  'field',
  'fields',
  'name',
  'names',
  'size',
]);

export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z]+|(?<=[a-zA-Z])(?=[0-9])/)
    .map((w) => w.toLowerCase())
    .filter((w) => w.length > 0);
}

export function isSecretKeyName(key: string): boolean {
  const words = keyWords(key);
  const joined = words.join('');
  const namesSecret = words.some((w) => SECRET_WORDS.has(w)) || SECRET_WORDS.has(joined);
  if (!namesSecret) return false;
  return !words.some((w) => PUBLIC_QUALIFIERS.has(w));
}

/** Throws a JournalError (code SecretField) naming the path of the first secret-looking key. */
export function assertNoSecretFields(value: unknown, path = 'data'): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertNoSecretFields(v, `${path}[${i}]`));
    return;
  }
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (isSecretKeyName(key)) {
      throw new JournalError(
        JournalErrorCode.SecretField,
        `Refused to write "${path}.${key}" to the journal: the name says it holds a secret, and secrets never go to disk.`,
      );
    }
    assertNoSecretFields(child, `${path}.${key}`);
  }
}
