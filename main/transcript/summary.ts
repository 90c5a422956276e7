import type { TranscriptCertificateSummary, TranscriptKeySummary, TranscriptStep, TranscriptSummary } from '../../preload/print';
import { digestText } from './evidence';

type Data = Record<string, unknown>;
const isObject = (v: unknown): v is Data => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);
const HEX64 = /^[0-9a-f]{64}$/i;

/** Collects, from one step's public result, the keys and certificates it made (found wherever the result nests them). */
export function collectSummary(result: unknown, stepId: string, summary: TranscriptSummary): void {
  walk(result, (node) => {
    const label = str(node.label);
    const fingerprint = [node.fingerprint, node.publicKeySha256].find((v): v is string => typeof v === 'string' && HEX64.test(v));
    if (label && fingerprint && (str(node.algorithm) || str(node.keyType))) {
      const key: TranscriptKeySummary = {
        label,
        id: str(node.id),
        algorithm: str(node.algorithm) ?? str(node.keyType),
        policy: str(node.policy),
        stepId,
        fingerprint: digestText(fingerprint.toLowerCase()),
      };
      const existing = summary.keys.findIndex((k) => k.label === key.label && k.id === key.id);
      if (existing >= 0) summary.keys[existing] = { ...summary.keys[existing], ...key };
      else summary.keys.push(key);
    }
    const certificateSha = str(node.certificateFingerprint);
    if (certificateSha && HEX64.test(certificateSha)) {
      addCertificate(summary, {
        kind: 'certificate',
        subject: str(node.subject),
        notBefore: str(node.notBefore),
        notAfter: str(node.notAfter),
        serialNumber: str(node.serialNumber),
        file: str(node.file),
        sha256: certificateSha.toLowerCase(),
      });
    }
    const requestSha = str(node.csrSha256) ?? str(node.csrFingerprint);
    if (typeof node.csrPem === 'string') {
      addCertificate(summary, {
        kind: 'request',
        subject: str(node.subject),
        file: str(node.file),
        sha256: requestSha && HEX64.test(requestSha) ? requestSha : undefined,
      });
    }
  });
}

function addCertificate(summary: TranscriptSummary, entry: TranscriptCertificateSummary): void {
  if (!summary.certificates.some((c) => c.kind === entry.kind && c.sha256 === entry.sha256 && c.file === entry.file)) summary.certificates.push(entry);
}

function walk(value: unknown, visit: (node: Data) => void, depth = 0): void {
  if (depth > 6) return;
  if (Array.isArray(value)) for (const item of value) walk(item, visit, depth + 1);
  else if (isObject(value)) {
    visit(value);
    for (const child of Object.values(value)) walk(child, visit, depth + 1);
  }
}

/** What a step did in one line, for the steps table; the full result goes to the appendix. */
export function oneLine(step: Pick<TranscriptStep, 'kind' | 'revealedTo' | 'inputBy'>, result: unknown): string {
  const r = isObject(result) ? result : {};
  if (typeof r.oneLine === 'string') return r.oneLine;
  if (typeof r.made === 'string') return `Made: ${r.made}`;
  if (str(r.label) && str(r.algorithm)) return `${str(r.algorithm)} key “${str(r.label)}”${r.policyHolds === true ? ', policy checked' : ''}`;
  if (r.loggedOut === true) return 'Logged out';
  if (isObject(r.after) && str(r.user)) return r.user === 'SO' ? 'Security Officer logged in' : 'User logged in';
  if (r.format === 'fingerprint' || r.format === 'words') return 'Fingerprint read aloud and compared';
  if ('shown' in r) return 'Read aloud and confirmed';
  if (str(r.acknowledgedBy) || step.revealedTo) return 'Shown to its holder only, then hidden';
  if (str(r.serial) && str(r.label)) return `Token “${str(r.label)}”, serial ${str(r.serial)}`;
  if (str(r.note)) return str(r.note)!;
  if (str(r.summary)) return str(r.summary)!.split('\n')[0];
  if (step.kind === 'input') return 'Values entered';
  return 'Done';
}
