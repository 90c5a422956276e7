import { isShareError, ShareErrorCode, ChecksumError } from './errors';
import { decodeShareText, type ShareFormatVersion } from './share-text';
import { decodeYubicoShare, looksLikeYubicoShare, type YubicoShareKind } from './yubico-format';

// `custodian share check <text>`: a custodian (or the rehearsal at the end of a backup) can confirm,
// offline and alone, that the text on a card reads back correctly — without any other share and
// without revealing anything but what the card already prints. A share in Yubico's format (yubihsm-setup,
// yubihsm-manager) is recognised too; having no checksum, it is checked only for what its form allows.

export type ShareTextCheck =
  | {
      ok: true;
      formatVersion: ShareFormatVersion;
      setId: string;
      index: number;
      n: number;
      m: number;
      secretLength: number;
      summary: string;
    }
  | {
      ok: true;
      /** which of Yubico's tools wrote it */
      format: YubicoShareKind;
      index: number;
      m: number;
      secretLength: number;
      summary: string;
    }
  | {
      ok: false;
      code: ShareErrorCode;
      /** For typos: 1-based groups (after "cshare1") to re-read; empty when unclear. */
      suspiciousGroups: readonly number[];
      summary: string;
    };

export function checkShareText(text: string): ShareTextCheck {
  try {
    if (looksLikeYubicoShare(text)) {
      const share = decodeYubicoShare(text);
      share.bytes.fill(0);
      return {
        ok: true,
        format: share.kind,
        index: share.index,
        m: share.threshold,
        secretLength: share.bytes.length,
        summary: `Reads as a share in Yubico's ${share.kind} format: share ${share.index}, any ${share.threshold} rebuild the wrap key (${share.bytes.length}-byte record). That format has no checksum: a mistyped character is found only when the shares are combined and the wrap key is tried on the backups.`,
      };
    }
    const share = decodeShareText(text);
    const secretLength = share.bytes.length - 1;
    share.bytes.fill(0);
    const { version, setId, index, n, m } = share;
    return {
      ok: true,
      formatVersion: version,
      setId,
      index,
      n,
      m,
      secretLength,
      summary: `Reads correctly: share ${index} of ${n} (any ${m} restore) from set ${setId}, format version ${version}.`,
    };
  } catch (error) {
    if (!isShareError(error)) throw error;
    return {
      ok: false,
      code: error.code,
      suspiciousGroups: error instanceof ChecksumError ? error.suspiciousGroups : [],
      summary: error.message,
    };
  }
}
