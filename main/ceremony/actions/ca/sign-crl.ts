import { createCrl, crlNumberOf, crlProblems, REVOCATION_REASONS, type RevocationReason, type RevokedCertificate } from '../../../x509';
import { withLoggedInSession } from '../pkcs11';
import type { ActionDefinition, JsonObject } from '../registry';
import { asRefusal, refuse } from './errors';
import { readNamedFile } from './files';
import { verifyJournalBytes } from '../../../journal';
import { issuingRoot, rootSummary } from './root';
import { groupHex } from '../../../fingerprint';

const DAY_MS = 86_400_000;

/**
 * The revoked certificates as the script or a parameter lists them, one per line: `serial reason date`, e.g.
 * `01:23:45:67 keyCompromise 2026-11-30`. Empty lines and lines starting with # are skipped. Each problem names its line.
 */
export function parseRevocations(text: unknown): RevokedCertificate[] {
  if (text === undefined || text === null || text === '') return [];
  if (typeof text !== 'string') throw refuse('revoked must be text: one line per certificate, “serial reason date”.');
  const out: RevokedCertificate[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const [serial, reason, date, ...rest] = line.split(/\s+/);
    if (!serial || !reason || !date || rest.length)
      throw refuse(`revoked, line ${i + 1}: write “serial reason date” (e.g. 0a1b2c3d keyCompromise 2026-11-30), not “${line}”.`);
    if (!REVOCATION_REASONS.includes(reason as RevocationReason))
      throw refuse(`revoked, line ${i + 1}: “${reason}” is not a reason; use one of ${REVOCATION_REASONS.join(', ')}.`);
    if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/.test(date) || Number.isNaN(Date.parse(date)))
      throw refuse(`revoked, line ${i + 1}: “${date}” is not a date like 2026-11-30.`);
    out.push({ serial, reason: reason as RevocationReason, date: new Date(date) });
  });
  return out;
}

/** The last CRL number a finished sign-crl ceremony journaled, after its chain verifies. */
async function numberFromJournal(path: string): Promise<number> {
  const bytes = await readNamedFile(path, 'previous CRL ceremony’s journal', 64 * 1024 * 1024);
  const verified = await verifyJournalBytes(new Uint8Array(bytes));
  if (!verified.ok) throw refuse(`The journal ${path} does not verify, so its CRL number cannot be trusted.`);
  let found: number | undefined;
  for (const line of bytes.toString('utf8').split('\n')) {
    if (!line.includes('"crlNumber"')) continue;
    const event = JSON.parse(line) as { type?: string; data?: { result?: { crlNumber?: unknown } } };
    if (event.type === 'step.completed' && typeof event.data?.result?.crlNumber === 'number') found = event.data.result.crlNumber;
  }
  if (found === undefined) throw refuse(`The journal ${path} records no signed CRL.`);
  return found;
}

function crlFileNumber(bytes: Buffer, path: string): number {
  let n: number | undefined;
  try {
    n = crlNumberOf(bytes.toString('latin1').includes('-----BEGIN') ? bytes.toString('latin1') : new Uint8Array(bytes));
  } catch {
    throw refuse(`${path} is not a CRL (PEM or DER).`);
  }
  if (n === undefined) throw refuse(`${path} has no CRL number; type the last number instead (lastCrlNumber).`);
  return n;
}

const given = (v: unknown) => v !== undefined && v !== null && v !== '';

/**
 * The number this CRL gets: one more than the last CRL's — read from the last CRL file, from the last sign-crl
 * ceremony's journal, or typed (and confirmed by the witness). Sources that disagree are refused, naming each.
 */
export async function nextCrlNumber(params: JsonObject): Promise<{ number: number; previous: number | null; source: string }> {
  const sources: { source: string; value: number }[] = [];
  if (given(params.previousCrl))
    sources.push({
      source: `read from ${params.previousCrl}`,
      value: crlFileNumber(await readNamedFile(params.previousCrl, 'previous CRL', 16 * 1024 * 1024), String(params.previousCrl)),
    });
  if (given(params.previousJournal))
    sources.push({ source: `read from the journal ${params.previousJournal}`, value: await numberFromJournal(String(params.previousJournal)) });
  if (given(params.lastCrlNumber)) {
    const n = Number(params.lastCrlNumber);
    if (!Number.isSafeInteger(n) || n < 0) throw refuse(`lastCrlNumber must be a whole number ≥ 0 (it is ${JSON.stringify(params.lastCrlNumber)}).`);
    sources.push({ source: 'typed and confirmed', value: n });
  }
  const highest = sources.reduce((m, s) => Math.max(m, s.value), -1);
  for (const s of sources) {
    if (s.value < highest) {
      const top = sources.find((t) => t.value === highest)!;
      throw refuse(`The CRL number goes backwards: ${s.source} says the last CRL was number ${s.value}, but ${top.source} says ${highest}.`);
    }
  }
  if (highest < 0) return { number: 1, previous: null, source: 'first CRL' };
  return { number: highest + 1, previous: highest, source: sources.map((s) => s.source).join(' and ') };
}

/** Days from this update to the next: a whole number from 1 to 366. */
export function nextUpdateDaysOf(params: JsonObject): number {
  const days = Number(params.nextUpdateDays);
  if (!Number.isInteger(days) || days < 1 || days > 366) {
    throw refuse(`nextUpdateDays must be a whole number from 1 to 366 (it is ${JSON.stringify(params.nextUpdateDays)}).`);
  }
  return days;
}

/** ca.sign-crl — the next CRL, signed inside the HSM by the root, written to the outputs with its SHA-256. */
export const signCrl: ActionDefinition = {
  description: 'Signs the certificate revocation list with the root key inside the HSM.',
  async run(ctx, params, inputs) {
    const revoked = parseRevocations(params.revoked);
    const { number, previous, source } = await nextCrlNumber(params);
    const nextUpdateDays = nextUpdateDaysOf(params);
    const thisUpdate = new Date(Math.floor(Date.now() / 1000) * 1000);
    const nextUpdate = new Date(thisUpdate.getTime() + nextUpdateDays * DAY_MS);
    const publicResult = await withLoggedInSession(ctx, params, inputs, async (sessionKey): Promise<JsonObject> => {
      const root = await issuingRoot(ctx, params, sessionKey);
      const problems = crlProblems({ issuer: root.certificate, crlNumber: number, thisUpdate, nextUpdate, revoked });
      if (problems.length) throw refuse(problems.map((p) => `${p.field}: ${p.message}`).join(' '));
      const crl = await createCrl({
        issuer: root.certificate,
        algorithm: root.algorithm,
        sign: root.sign,
        crlNumber: number,
        thisUpdate,
        nextUpdate,
        revoked,
      }).catch(asRefusal);
      const name = `root-crl-${number}.crl`;
      await ctx.outputs.write(name, crl.pem);
      await ctx.outputs.write(`${name}.sha256`, `${crl.sha256}  ${name}\n`);
      return {
        file: name,
        crlNumber: number,
        previousCrlNumber: previous,
        numberSource: source,
        thisUpdate: crl.thisUpdate,
        nextUpdate: crl.nextUpdate,
        revoked: crl.revoked,
        crlSha256: crl.sha256,
        root: rootSummary(root),
        summary: [
          `CRL number:     ${number} (${previous === null ? 'the first' : `the last was ${previous}, ${source}`})`,
          `This update:    ${crl.thisUpdate}`,
          `Next update:    ${crl.nextUpdate}`,
          `Revoked:        ${crl.revoked.length ? crl.revoked.map((r) => `${r.serial} (${r.reason}, ${r.date.slice(0, 10)})`).join('; ') : 'none'}`,
          `SHA-256:        ${groupHex(crl.sha256, 4, Infinity)}`,
        ].join('\n'),
      };
    });
    return { publicResult };
  },
};
