import { inspectCsr } from '../../../x509';
import type { ActionDefinition } from '../registry';
import { asRefusal, refuse } from './errors';
import { readNamedFile } from './files';

/** "CN=Example Issuing CA, O=Example" against the script's allowed subjects: exact names, or "*, O=Example" suffixes. */
export function subjectAllowed(subject: string, allowed: string): boolean {
  const patterns = allowed
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean);
  if (patterns.length === 0) return true;
  return patterns.some((p) => (p.startsWith('*, ') ? subject.endsWith(p.slice(1)) : subject === p));
}

/** ca.read-csr — the subordinate's CSR from removable media: its self-signature verified and its name allowed. */
export const readCsr: ActionDefinition = {
  description: 'Reads the subordinate CA’s certificate signing request and verifies its signature.',
  async run(ctx, params) {
    const bytes = await readNamedFile(params.csrFile, 'CSR', 64 * 1024);
    const csr = await inspectCsr(new Uint8Array(bytes)).catch(asRefusal);
    const allowed = typeof params.allowedSubjects === 'string' ? params.allowedSubjects : '';
    if (!subjectAllowed(csr.subject, allowed)) {
      throw refuse(`The CSR asks for “${csr.subject}”, a name this script does not allow (allowed: ${allowed}).`);
    }
    const file = await ctx.outputs.write('subordinate.csr.pem', csr.pem).catch(async (error: { code?: string }) => {
      if (error.code === 'OutputExists') return { name: 'subordinate.csr.pem' };
      throw error;
    });
    return {
      publicResult: {
        subject: csr.subject,
        keyAlgorithm: csr.keyAlgorithm,
        publicKeySha256: csr.publicKeySha256,
        file: file.name,
        csrPem: csr.pem,
        summary: [`Subject:        ${csr.subject}`, `Key:            ${csr.keyAlgorithm}`, `Signature:      verified (the requester holds the key)`].join('\n'),
      },
    };
  },
};

const normaliseHex = (text: string) => text.replace(/[\s:]/g, '').toLowerCase();

/**
 * ca.compare-fingerprint — the witness types the fingerprint of the CSR's public key as the requesting party gave it
 * on paper; the step completes only when it equals the one Custodian computed.
 */
export const compareFingerprint: ActionDefinition = {
  description: 'Compares the fingerprint the requesting party gave with the CSR’s public key.',
  async run(_ctx, params, inputs) {
    const expected = typeof params.publicKeySha256 === 'string' ? params.publicKeySha256 : '';
    const typed = typeof inputs.fingerprint === 'string' ? normaliseHex(inputs.fingerprint) : '';
    if (!/^[0-9a-f]{64}$/.test(expected)) throw refuse('The CSR’s fingerprint is missing; read the CSR first.');
    if (!/^[0-9a-f]{64}$/.test(typed)) throw refuse(`The fingerprint typed has ${typed.length} hex digits; a SHA-256 fingerprint has 64.`);
    if (typed !== expected) {
      const at = [...typed].findIndex((c, i) => c !== expected[i]);
      throw refuse(`The fingerprints differ from group ${Math.floor(at / 4) + 1} on. Do not sign: this CSR is not the one the requesting party made.`);
    }
    return { publicResult: { matched: true, publicKeySha256: expected } };
  },
};
