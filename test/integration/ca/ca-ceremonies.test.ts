import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answersExample, getTemplate, runScript } from '../../../main/ceremony';
import type { AppContext } from '../../../main/ipc/app-context';
import { verifyJournalFile } from '../../../main/journal';
import { runKeygen, servicesOf, startContext, tempDir } from '../keygen/harness';
import { opensslCsr } from '../../fixtures/openssl';

// The offline root's second life: a root made by key-generation on the rehearsal SoftHSM2 token signs a subordinate
// CA from an openssl CSR, then two CRLs. openssl is the checker of everything the ceremonies wrote.

const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
let context: AppContext;
let rootPem = '';
let work = '';

/** The template's answers example with these parameters and step values, the PIN filled in. */
function answersFor(name: string, parameters: Record<string, unknown>, values: Record<string, Record<string, unknown>> = {}): string {
  const answers = parse(answersExample(name, parameters)!) as { steps: Record<string, { input?: { values: Record<string, unknown> } }> };
  answers.steps.login.input!.values.pin = context.rehearsal!.pins.user;
  for (const [step, v] of Object.entries(values)) answers.steps[step].input!.values = { ...answers.steps[step].input!.values, ...v };
  return stringify(answers);
}

async function run(name: string, parameters: Record<string, unknown>, values?: Record<string, Record<string, unknown>>) {
  const dir = join(work, `${name}-${Math.random().toString(36).slice(2, 8)}`);
  const result = await runScript(getTemplate(name)!.text, answersFor(name, parameters, values), { dir, rehearsal: true, services: servicesOf(context) });
  return { dir, result, outputs: join(dir, 'outputs') };
}

/** The steps a ceremony started, from its journal: a refusal at check-request starts no step that touches the HSM. */
function startedSteps(dir: string): string[] {
  return readFileSync(join(dir, 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { type: string; data: { stepId?: string } })
    .filter((e) => e.type === 'step.started')
    .map((e) => e.data.stepId!);
}

beforeAll(async () => {
  context = await startContext();
  work = await tempDir('ca');
  const root = await runKeygen(context, join(work, 'root'), {
    algorithm: 'EC-P384',
    label: 'rehearsal-root',
    subject: 'CN=Custodian Rehearsal Root CA, O=Custodian Rehearsal',
    validityYears: 20,
    selfSigned: true,
  });
  expect(root.status, JSON.stringify(root.reason)).toBe('completed');
  rootPem = join(work, 'root', 'outputs', 'rehearsal-root.root-certificate.pem');
}, 240_000);

afterAll(async () => {
  await context?.close();
});

describe('sign-subordinate', () => {
  it('signs a subordinate CA from an openssl CSR that openssl verifies under the root, with the profile the script fixes', async () => {
    const csrFile = opensslCsr('/CN=Rehearsal Issuing CA/O=Custodian Rehearsal');
    // the requesting party's fingerprint, computed independently by openssl
    const spki = execFileSync('sh', ['-c', `openssl req -in ${csrFile} -pubkey -noout | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r`], {
      encoding: 'utf8',
    }).split(' ')[0];
    const { dir, result, outputs } = await run(
      'sign-subordinate',
      {
        rootCertificate: rootPem,
        csrFile,
        allowedSubjects: '*, O=Custodian Rehearsal',
        crlDistributionPoint: 'http://crl.example.org/root.crl',
        validityDays: 730,
      },
      { 'compare-fingerprint': { fingerprint: spki.match(/.{4}/g)!.join(' ') } },
    );
    expect(result.status, JSON.stringify(result.reason)).toBe('completed');
    const sub = join(outputs, 'subordinate.pem');
    expect(openssl('verify', '-CAfile', rootPem, sub).trim()).toBe(`${sub}: OK`);
    const text = openssl('x509', '-in', sub, '-noout', '-text');
    expect(text).toMatch(/Issuer: CN = Custodian Rehearsal Root CA, O = Custodian Rehearsal/);
    expect(text).toMatch(/CA:TRUE, pathlen:0/);
    expect(text).toMatch(/Certificate Sign, CRL Sign/);
    expect(text).toMatch(/Policy: 2\.23\.140\.1\.2\.1/);
    expect(text).toMatch(/URI:http:\/\/crl\.example\.org\/root\.crl/);
    const sha =
      openssl('x509', '-in', sub, '-outform', 'DER').length >= 0 &&
      execFileSync('sh', ['-c', `openssl x509 -in ${sub} -outform DER | openssl dgst -sha256 -r`], { encoding: 'utf8' }).split(' ')[0];
    expect(readFileSync(join(outputs, 'subordinate.pem.sha256'), 'utf8')).toContain(sha);
    expect(readFileSync(join(outputs, 'chain.pem'), 'utf8')).toContain(readFileSync(rootPem, 'utf8').trim().split('\n')[1]);
    expect((await verifyJournalFile(join(dir, 'journal.jsonl'))).ok).toBe(true);
    expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8')).toContain(sha);
  });

  it('refuses a fingerprint that differs from the CSR’s before anything is signed', async () => {
    const csrFile = opensslCsr('/CN=Other CA/O=Custodian Rehearsal');
    const { result, outputs } = await run(
      'sign-subordinate',
      { rootCertificate: rootPem, csrFile },
      { 'compare-fingerprint': { fingerprint: '00'.repeat(32) } },
    );
    expect(result.status).not.toBe('completed');
    expect(result.failedStep).toBe('compare-fingerprint');
    expect(result.reason?.message).toMatch(/fingerprints differ from group 1/);
    expect(readdirSync(outputs)).not.toContain('subordinate.pem');
  });

  it('refuses a CSR for a name the script does not allow', async () => {
    const csrFile = opensslCsr('/CN=Evil CA/O=Elsewhere');
    const { result, dir } = await run('sign-subordinate', { rootCertificate: rootPem, csrFile, allowedSubjects: '*, O=Custodian Rehearsal' });
    expect(result.failedStep).toBe('check-request');
    expect(result.reason?.message).toMatch(/a name this script does not allow/);
    expect(startedSteps(dir)).not.toContain('token-status');
  });

  it('refuses, before the HSM is touched, a CSR whose signature does not verify, a validity over the cap and a root that is not there', async () => {
    // a CSR altered after it was signed: one byte of its subject changed in the DER
    const good = opensslCsr('/CN=Issuing CA 1/O=Custodian Rehearsal');
    const der = execFileSync('openssl', ['req', '-in', good, '-outform', 'DER']);
    const at = der.indexOf(Buffer.from('Issuing CA 1'));
    expect(at).toBeGreaterThan(0);
    der[at + 11] = '2'.charCodeAt(0);
    const altered = join(tmpdir(), `custodian-altered-${process.pid}.der`);
    writeFileSync(altered, der);
    const bad = await run('sign-subordinate', { rootCertificate: rootPem, csrFile: altered });
    expect(bad.result.failedStep).toBe('check-request');
    expect(bad.result.reason?.message).toMatch(/signature does not verify/);
    expect(startedSteps(bad.dir)).not.toContain('token-status');

    const long = await run('sign-subordinate', { rootCertificate: rootPem, csrFile: good, validityDays: 4000 });
    expect(long.result.failedStep).toBe('check-request');
    expect(long.result.reason?.message).toMatch(/validityDays is 4000; this script caps the validity at 3650 days/);

    const noRoot = await run('sign-subordinate', { rootCertificate: join(tmpdir(), 'no-such-root.pem'), csrFile: good });
    expect(noRoot.result.failedStep).toBe('check-request');
    expect(noRoot.result.reason?.message).toMatch(/There is no root certificate at .*no-such-root\.pem/);
    for (const r of [long, noRoot]) expect(startedSteps(r.dir)).not.toContain('token-status');
  });
});

describe('sign-crl', () => {
  it('signs two CRLs that openssl verifies; the second’s number is the first’s + 1 and lists the revoked serials', async () => {
    const first = await run('sign-crl', { rootCertificate: rootPem, revoked: '' });
    expect(first.result.status, JSON.stringify(first.result.reason)).toBe('completed');
    const crl1 = join(first.outputs, 'root-crl-1.crl');
    expect(openssl('crl', '-in', crl1, '-noout', '-verify', '-CAfile', rootPem)).toBe('');
    const revoked = '01:23:45:67:89:ab:cd:ef keyCompromise 2026-11-30\n7f00000000000001 superseded 2026-11-01';
    const second = await run('sign-crl', { rootCertificate: rootPem, previousCrl: crl1, revoked });
    expect(second.result.status, JSON.stringify(second.result.reason)).toBe('completed');
    const crl2 = join(second.outputs, 'root-crl-2.crl');
    expect(openssl('crl', '-in', crl2, '-noout', '-verify', '-CAfile', rootPem)).toBe('');
    const text = openssl('crl', '-in', crl2, '-noout', '-text');
    expect(text).toMatch(/X509v3 CRL Number:\s*\n\s*2\n/);
    expect(text).toMatch(/Serial Number: 0123456789ABCDEF[\s\S]*Key Compromise/);
    expect(text).toMatch(/Serial Number: 7F00000000000001[\s\S]*Superseded/);

    // the third from the second's journal; a typed number that goes backwards is refused
    const third = await run('sign-crl', { rootCertificate: rootPem, previousJournal: join(second.dir, 'journal.jsonl') });
    expect(third.result.status, JSON.stringify(third.result.reason)).toBe('completed');
    expect(openssl('crl', '-in', join(third.outputs, 'root-crl-3.crl'), '-noout', '-text')).toMatch(/CRL Number:\s*\n\s*3\n/);
    const backwards = await run('sign-crl', { rootCertificate: rootPem, previousCrl: crl2, lastCrlNumber: '1' });
    expect(backwards.result.failedStep).toBe('check-request');
    expect(startedSteps(backwards.dir)).not.toContain('token-status');
    expect(backwards.result.reason?.message).toMatch(/goes backwards: typed and confirmed says the last CRL was number 1, but read from .* says 2/);
  });

  it('refuses a CRL number that goes backwards and a revoked serial in the wrong form, before signing', async () => {
    const back = await run('sign-crl', { rootCertificate: rootPem, lastCrlNumber: '5', revoked: 'zz12 keyCompromise 2026-11-30' });
    expect(back.result.failedStep).toBe('check-request');
    expect(back.result.reason?.message).toMatch(/revoked\.0\.serial: “zz12” is not a hexadecimal serial/);
    expect(readdirSync(back.outputs)).toEqual([]);
    expect(startedSteps(back.dir)).not.toContain('token-status');
    // a next update beyond the parameter's limit is refused before any journal exists
    await expect(run('sign-crl', { rootCertificate: rootPem, nextUpdateDays: 400 })).rejects.toThrow(
      /nextUpdateDays must be at most 366; the value given is 400/,
    );
  });
});
