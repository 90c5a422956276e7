import { describeDigest, hexToBytes, normaliseHex } from '../fingerprint';
import { formatCheckValue, type CheckValue } from '../shares';
import type { DigestText, TranscriptCheckValue, TranscriptFingerprint, TranscriptPem, TranscriptResultLine, TranscriptShareSet } from '../../preload/print';

// Finds the public evidence in a step's result — fingerprints, PEM blocks, share sets, check values — by shape and
// key name, since each action chooses its own result fields. The key names follow what the actions already write
// (fingerprint, publicKeyPem, certificate, checkValue, commitments...).

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => v !== null && typeof v === 'object' && !Array.isArray(v);

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;
const FINGERPRINT_KEY = /fingerprint/i;
const CHECK_VALUE_KEY = /checkValue|(^|[^a-z])kcv/i;
const HEX_DIGEST = /^(?:[0-9a-fA-F]{2}[:\s]?){16,64}$/;

export interface Evidence {
  fingerprints: TranscriptFingerprint[];
  pems: TranscriptPem[];
  shareSets: TranscriptShareSet[];
  checkValues: TranscriptCheckValue[];
}

export function emptyEvidence(): Evidence {
  return { fingerprints: [], pems: [], shareSets: [], checkValues: [] };
}

/** A hex digest in the three printed forms; words only for the lengths BIP-39 encodes (16 to 32 bytes). */
export function digestText(hex: string): DigestText {
  const bytes = hexToBytes(hex);
  try {
    return describeDigest(bytes);
  } catch {
    const clean = normaliseHex(hex);
    return { hex: clean, grouped: (clean.match(/.{1,4}/g) ?? []).join(' '), words: [] };
  }
}

function asCheckValue(value: unknown): CheckValue | null {
  if (isObject(value) && typeof value.method === 'string' && typeof value.value === 'string') return value as unknown as CheckValue;
  return null;
}

function asShareSet(value: Loose, stepId: string): TranscriptShareSet | null {
  const { setId, n, m, commitments } = value;
  const checkValue = asCheckValue(value.checkValue);
  if (typeof setId !== 'string' || typeof n !== 'number' || typeof m !== 'number' || !Array.isArray(commitments)) return null;
  return {
    stepId,
    setId,
    n,
    m,
    checkValueText: checkValue ? formatCheckValue(checkValue) : '',
    commitments: commitments
      .filter(isObject)
      .filter((c) => typeof c.index === 'number' && typeof c.commitment === 'string')
      .map((c) => ({ index: c.index as number, commitment: c.commitment as string })),
  };
}

/** Walks one step's result and adds what it finds to `into`. `label` names the step for the reader. */
export function collectEvidence(result: unknown, stepId: string, label: string, into: Evidence): void {
  const walk = (value: unknown, path: string[]): void => {
    const where = [label, ...path].join(' · ');
    const key = path[path.length - 1] ?? '';
    if (typeof value === 'string') {
      for (const match of value.matchAll(PEM_BLOCK)) into.pems.push({ label: where, stepId, pemType: match[1], pem: match[0] });
      if (FINGERPRINT_KEY.test(key) && HEX_DIGEST.test(value.trim())) {
        into.fingerprints.push({ label: where, stepId, digest: digestText(value) });
      } else if (CHECK_VALUE_KEY.test(key)) {
        into.checkValues.push({ label: where, stepId, text: value });
      }
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...path, String(i + 1)]));
      return;
    }
    if (!isObject(value)) return;
    const shareSet = asShareSet(value, stepId);
    if (shareSet) {
      into.shareSets.push(shareSet);
      return; // its check value and commitments are printed with the set
    }
    const checkValue = CHECK_VALUE_KEY.test(key) ? asCheckValue(value) : null;
    if (checkValue) {
      into.checkValues.push({ label: where, stepId, text: formatCheckValue(checkValue) });
      return;
    }
    for (const [childKey, child] of Object.entries(value)) walk(child, [...path, childKey]);
  };
  walk(result, []);
}

const MAX_LINES = 24;
const MAX_VALUE = 160;

/**
 * A step's result as short "name: value" lines for the steps table. PEM blocks are only referred to here (they are
 * printed in full in their own section); very long values are cut, saying how long they were.
 */
export function resultLines(result: unknown, skipKeys: ReadonlySet<string> = new Set()): TranscriptResultLine[] {
  const lines: TranscriptResultLine[] = [];
  const add = (label: string, value: string) => {
    if (lines.length < MAX_LINES) lines.push({ label, value });
  };
  const walk = (value: unknown, path: string[], depth: number): void => {
    const label = path.join('.');
    if (value === null || value === undefined) return;
    if (typeof value === 'string') {
      if (PEM_BLOCK.test(value)) {
        PEM_BLOCK.lastIndex = 0;
        add(label, 'PEM, printed under "Public keys and certificates"');
      } else add(label, value.length > MAX_VALUE ? `${value.slice(0, MAX_VALUE)}… (${value.length} characters)` : value);
      return;
    }
    if (typeof value === 'number' || typeof value === 'boolean') return add(label, String(value));
    if (Array.isArray(value)) {
      if (value.every((v) => v === null || typeof v !== 'object')) return add(label, value.map(String).join(', '));
      if (depth >= 3) return add(label, `${value.length} entries`);
      value.forEach((item, i) => walk(item, [...path, String(i + 1)], depth + 1));
      return;
    }
    if (isObject(value)) {
      if (depth >= 3) return add(label, `${Object.keys(value).length} fields`);
      for (const [key, child] of Object.entries(value)) if (!(depth === 0 && skipKeys.has(key))) walk(child, [...path, key], depth + 1);
    }
  };
  walk(result, [], 0);
  return lines;
}
