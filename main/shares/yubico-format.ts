import { combine } from 'shamir-secret-sharing';
import { DuplicateShareError, InconsistentHeaderError, ShareErrorCode, TooFewSharesError, YubicoShareError, type ShareError } from './errors';
import { screenShare } from './screen-share';
import { combineGf256x11d } from './yubico-gf256';

// Wrap-key shares made by Yubico's own tools, read as a custodian types them from paper (FORMAT.md §7):
//   yubihsm-setup    "<threshold>-<index>-<70 base64 characters>"  rusty_secrets 0.0.2, GF(2⁸) mod 0x11D, 52-byte secret
//   yubihsm-manager  "<threshold>-<index>-<72|88|104 hex digits>"   vsss-rs Gf256, GF(2⁸) mod 0x11B (AES), 36/44/52 bytes
// Both secrets are the wrap-key record: id(2) ‖ domains(2) ‖ capabilities(8) ‖ delegated capabilities(8) ‖ key.
// Neither format has a checksum: only what the text's form rules out is refused as it is typed; the rebuilt key is
// proven by opening the wrapped backups before anything reaches a device.

/** Whose tool made a share: Yubico's yubihsm-setup (rusty_secrets, base64) or yubihsm-manager (vsss-rs, hex). */
export const YubicoShareKind = { Setup: 'yubihsm-setup', Manager: 'yubihsm-manager' } as const;
export type YubicoShareKind = (typeof YubicoShareKind)[keyof typeof YubicoShareKind];

export interface YubicoShare {
  kind: YubicoShareKind;
  threshold: number;
  /** the x coordinate, as printed */
  index: number;
  /** the polynomial values, one per secret byte — secret material: zero when done */
  bytes: Uint8Array;
}

/** The wrap-key record a set of Yubico shares rebuilds. `key` is secret: zero it when done. */
export interface YubicoWrapKeyRecord {
  id: number;
  domains: number;
  capabilities: bigint;
  delegatedCapabilities: bigint;
  key: Uint8Array;
}

export const YUBICO_RECORD_HEADER_BYTES = 20;
const SETUP_DATA_CHARACTERS = 70; // base64 of 52 bytes, no padding
const MANAGER_HEX_DIGITS = [72, 88, 104];
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const SHAPE = /^(\d{1,3})-(\d{1,3})-(.*)$/s;

/** What people and printers add: spaces and line breaks anywhere, and dashes of other widths. */
export function normalizeYubicoShareText(text: string): string {
  return text.replace(/\s+/g, '').replace(/[\u2010-\u2015\u2212]/g, '-');
}

/** Does this text have the shape of a Yubico share ("<digit>-<digit>-…"), so it is read as one and not as a cshare? */
export function looksLikeYubicoShare(text: string): boolean {
  return /^\d{1,3}-\d{1,3}-/.test(normalizeYubicoShareText(text));
}

function refuse(code: YubicoShareError['code'], message: string): never {
  throw new YubicoShareError(code, message);
}

function decodeSetupData(data: string): Uint8Array {
  if (data.length !== SETUP_DATA_CHARACTERS) {
    refuse(
      ShareErrorCode.MalformedShare,
      `A yubihsm-setup share has ${SETUP_DATA_CHARACTERS} characters after its second dash; this one has ${data.length}. Re-read it: a character is missing or doubled.`,
    );
  }
  const bad = [...data].findIndex((c) => !BASE64.includes(c));
  if (bad >= 0)
    refuse(
      ShareErrorCode.ChecksumError,
      `Character ${bad + 1} after the second dash is not one a yubihsm-setup share uses (letters, digits, + and /). Re-read it.`,
    );
  // 70 characters carry 420 bits: 52 bytes and 4 bits that are always zero, the low bits of the last character
  if (BASE64.indexOf(data[data.length - 1]) & 0x0f)
    refuse(ShareErrorCode.ChecksumError, 'The last character cannot end a yubihsm-setup share (no share ends with it). Re-read the end of the share.');
  return new Uint8Array(Buffer.from(data, 'base64'));
}

function decodeManagerData(data: string): Uint8Array {
  const bad = [...data].findIndex((c) => !/[0-9a-fA-F]/.test(c));
  if (bad >= 0) refuse(ShareErrorCode.ChecksumError, `Character ${bad + 1} after the second dash is not a hexadecimal digit. Re-read it.`);
  if (!MANAGER_HEX_DIGITS.includes(data.length)) {
    refuse(
      ShareErrorCode.MalformedShare,
      `A yubihsm-manager share has 72, 88 or 104 hexadecimal digits after its second dash (a yubihsm-setup share 70 characters); this one has ${data.length}. Re-read it: a character is missing or doubled.`,
    );
  }
  return new Uint8Array(Buffer.from(data, 'hex'));
}

/**
 * Reads one share typed in Yubico's format. `kind` fixes the tool when known; otherwise it is told by the text
 * (hex of a manager's length, else yubihsm-setup's base64). Throws a YubicoShareError that says what is wrong.
 */
export function decodeYubicoShare(text: string, kind?: YubicoShareKind): YubicoShare {
  const normalized = normalizeYubicoShareText(text);
  const m = SHAPE.exec(normalized);
  if (!m) {
    refuse(
      ShareErrorCode.NotAShare,
      'This is not a share in Yubico’s format, which reads "<threshold>-<share number>-<share>" (for example 2-1-…). Check the beginning of the share.',
    );
  }
  const threshold = Number(m[1]);
  const index = Number(m[2]);
  if (threshold < 1 || threshold > 9 || m[1].length !== 1)
    refuse(ShareErrorCode.MalformedShare, 'The number before the first dash (the threshold) must be a single digit from 1 to 9. Re-read it.');
  if (index < 1 || index > 9 || m[2].length !== 1)
    refuse(ShareErrorCode.MalformedShare, 'The number between the dashes (the share number) must be a single digit from 1 to 9. Re-read it.');
  const data = m[3];
  const told = kind ?? (MANAGER_HEX_DIGITS.includes(data.length) && /^[0-9a-fA-F]+$/.test(data) ? YubicoShareKind.Manager : YubicoShareKind.Setup);
  const bytes = told === YubicoShareKind.Manager ? decodeManagerData(data) : decodeSetupData(data);
  return { kind: told, threshold, index, bytes };
}

/** The record a rebuilt secret holds; undefined when its length is not a record's (20 bytes + a 16, 24 or 32-byte key). */
export function parseYubicoWrapKeyRecord(secret: Uint8Array): YubicoWrapKeyRecord | undefined {
  const keyLength = secret.length - YUBICO_RECORD_HEADER_BYTES;
  if (![16, 24, 32].includes(keyLength)) return undefined;
  const view = new DataView(secret.buffer, secret.byteOffset, secret.byteLength);
  return {
    id: view.getUint16(0),
    domains: view.getUint16(2),
    capabilities: view.getBigUint64(4),
    delegatedCapabilities: view.getBigUint64(12),
    key: secret.slice(YUBICO_RECORD_HEADER_BYTES),
  };
}

export type YubicoShareAddResult =
  { accepted: true; index: number; remaining: number; kind: YubicoShareKind } | { accepted: false; index: number | null; remaining: number; error: ShareError };

/**
 * Shares in Yubico's format, typed one at a time: each is checked for its form and against the ones already in
 * (same tool, same threshold, same length, a new share number). combine() rebuilds the secret; proving it is the
 * right wrap key is the caller's (it must open the wrapped backups).
 */
export class YubicoShareCollector {
  private readonly held = new Map<number, Uint8Array>();
  private kind?: YubicoShareKind;
  private destroyed = false;

  constructor(private readonly options: { threshold: number; kind?: YubicoShareKind }) {
    if (!Number.isInteger(options.threshold) || options.threshold < 2 || options.threshold > 9)
      throw new RangeError('A Yubico share set has a threshold of 2..9');
    this.kind = options.kind;
  }

  get remaining(): number {
    return Math.max(0, this.options.threshold - this.held.size);
  }

  get acceptedIndices(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  get shareKind(): YubicoShareKind | undefined {
    return this.kind;
  }

  *secretValues(): Generator<Uint8Array> {
    for (const bytes of this.held.values()) yield bytes;
  }

  add(text: string): YubicoShareAddResult {
    if (this.destroyed) throw new Error('This share collector has been destroyed; start a new one.');
    const screened = screenShare(
      text,
      (typed) => decodeYubicoShare(typed, this.kind),
      (share: YubicoShare) => this.problemWith(share),
      this.remaining,
    );
    if ('rejected' in screened) return screened.rejected;
    const { share } = screened;
    this.kind = share.kind;
    this.held.set(share.index, share.bytes);
    return { accepted: true, index: share.index, remaining: this.remaining, kind: share.kind };
  }

  /** The secret the shares rebuild (the caller zeroes it). The shares stay held until destroy(). */
  async combine(): Promise<Uint8Array> {
    if (this.destroyed) throw new Error('This share collector has been destroyed; start a new one.');
    if (this.held.size < this.options.threshold) throw new TooFewSharesError(this.options.threshold, this.held.size);
    const indexes = this.acceptedIndices.slice(0, this.options.threshold);
    if (this.kind === YubicoShareKind.Manager) {
      // vsss-rs's field is the AES field, shamir-secret-sharing's: its share is the y bytes followed by x
      const shares = indexes.map((x) => {
        const y = this.held.get(x)!;
        const share = new Uint8Array(y.length + 1);
        share.set(y);
        share[y.length] = x;
        return share;
      });
      try {
        return await combine(shares);
      } finally {
        for (const s of shares) s.fill(0);
      }
    }
    return combineGf256x11d(
      indexes,
      indexes.map((x) => this.held.get(x)!),
    );
  }

  destroy(): void {
    for (const bytes of this.held.values()) bytes.fill(0);
    this.held.clear();
    this.destroyed = true;
  }

  private problemWith(share: YubicoShare): ShareError | null {
    if (share.threshold !== this.options.threshold) {
      return new InconsistentHeaderError(
        share.index,
        `it says ${share.threshold} shares rebuild the key, but this ceremony was prepared for ${this.options.threshold}`,
      );
    }
    if (this.held.has(share.index)) return new DuplicateShareError(share.index);
    const first = this.held.values().next().value;
    if (first && first.length !== share.bytes.length) return new InconsistentHeaderError(share.index, 'it is longer or shorter than the shares entered before');
    return null;
  }
}
