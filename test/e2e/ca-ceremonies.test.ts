import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectCopiedAndPrinted } from '../fixtures/evidence';
import { opensslCsr } from '../fixtures/openssl';
import { screenshotPath, tempHome, useBrowserHost } from '../fixtures/harness';
import { driveCeremony } from './ceremony-driver';

// An offline root's first two ceremonies, through the UI as the room does them: key-generation makes the root on the
// rehearsal SoftHSM2 token, then sign-subordinate signs an issuing CA from a CSR openssl made. openssl is the checker.

const PEOPLE = [
  { participant: 'administrator', name: 'Ada Lovelace', identityCheck: 'Passport checked against the roster', checkedBy: 'witness-1' },
  { participant: 'witness-1', name: 'Wendy Okafor', identityCheck: 'Passport checked against the roster', checkedBy: 'administrator' },
];

const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const sh = (command: string) => spawnSync('sh', ['-c', command], { encoding: 'utf8' }).stdout;

describe('key-generation then sign-subordinate through the UI (browser host, headless)', () => {
  const browser = useBrowserHost('ca');

  it('the root signs an issuing CA from an openssl CSR: openssl verifies it under the root, with the profile the script fixes', async () => {
    const { host, home } = browser;
    const { page } = host;
    const pin = host.context.rehearsal!.pins.user;
    const noPin = { by: 'administrator', values: {} };

    // 1. the root
    await page.getByRole('button', { name: 'Ceremonies' }).click();
    await page.locator('button[data-template="key-generation"]').click();
    const keyForm = page.locator('[data-testid="new-ceremony"]');
    await keyForm.locator('select[name="algorithm"]').selectOption('EC-P256');
    await keyForm.locator('input[name="label"]').fill('e2e-root');
    await keyForm.locator('input[name="subject"]').fill('CN=Custodian E2E Root, O=Custodian Test, C=NL');
    await keyForm.locator('input[name="validityYears"]').fill('20');
    await keyForm.locator('input[name="selfSigned"]').check();
    await page.getByRole('button', { name: 'Start the ceremony' }).click();
    const root = await driveCeremony(page, {
      checkIns: PEOPLE,
      inputs: {
        login: { by: 'administrator', values: { pin } },
        generate: noPin,
        'read-back': noPin,
        certify: noPin,
        export: { by: 'administrator', values: { destination: tempHome('medium') } },
      },
    });
    expect(root.status).toBe('completed');
    const rootId = (await page.getAttribute('[data-testid="ceremony"]', 'data-ceremony'))!;
    const rootPem = join(home, 'ceremonies', rootId, 'outputs', 'e2e-root.root-certificate.pem');

    // 2. the subordinate's request, made by openssl on "removable media"
    const csrFile = opensslCsr('/CN=Custodian E2E Issuing CA 1/O=Custodian Test/C=NL');
    // the requesting party's fingerprint of the CSR's public key, as they would print it on their paper
    const fingerprint = sh(`openssl req -in '${csrFile}' -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r`).split(' ')[0];
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);

    // 3. sign-subordinate
    await page.getByRole('button', { name: 'Ceremonies' }).click();
    await page.locator('button[data-template="sign-subordinate"]').click();
    const form = page.locator('[data-testid="new-ceremony"]');
    await form.locator('input[name="rootKeyLabel"]').fill('e2e-root');
    await form.locator('input[name="rootCertificate"]').fill(rootPem);
    await form.locator('input[name="csrFile"]').fill(csrFile);
    await form.locator('input[name="allowedSubjects"]').fill('*, O=Custodian Test, C=NL');
    await form.locator('input[name="validityDays"]').fill('1825');
    await form.locator('input[name="crlDistributionPoint"]').fill('http://crl.example.test/root.crl');
    await page.screenshot({ path: screenshotPath('e2e-sign-subordinate-00-parameters'), fullPage: true });
    await page.getByRole('button', { name: 'Start the ceremony' }).click();
    let shownSummary = '';
    const subMedium = tempHome('medium');
    const signed = await driveCeremony(page, {
      checkIns: PEOPLE,
      inputs: {
        login: { by: 'administrator', values: { pin } },
        // the witness types it with spaces, as read from paper in groups of four
        'compare-fingerprint': { by: 'witness-1', values: { fingerprint: fingerprint.match(/.{4}/g)!.join(' ') } },
        export: { by: 'administrator', values: { destination: subMedium } },
      },
      onStep: async (stepId) => {
        if (stepId === 'show-certificate') shownSummary = await page.locator('[data-testid="show"]').innerText();
      },
      screenshotPrefix: 'e2e-sign-subordinate',
    });
    expect(signed.status).toBe('completed');
    expect(signed.stepsSeen.slice(0, 3)).toEqual(expect.arrayContaining(['check-request', 'token-status']));
    expect(signed.stepsSeen.indexOf('check-request')).toBeLessThan(signed.stepsSeen.indexOf('token-status'));

    const id = (await page.getAttribute('[data-testid="ceremony"]', 'data-ceremony'))!;
    const dir = join(home, 'ceremonies', id);
    const sub = join(dir, 'outputs', 'subordinate.pem');
    expect(openssl('verify', '-CAfile', rootPem, sub).trim()).toBe(`${sub}: OK`);
    const text = openssl('x509', '-in', sub, '-noout', '-text');
    expect(text).toMatch(/Issuer: CN\s*=\s*Custodian E2E Root/);
    expect(text).toMatch(/Subject: CN\s*=\s*Custodian E2E Issuing CA 1/);
    expect(text).toMatch(/CA:TRUE, pathlen:0/);
    expect(text).toMatch(/Certificate Sign, CRL Sign/);
    expect(text).toMatch(/Policy: 2\.23\.140\.1\.2\.1/);
    expect(text).toContain('http://crl.example.test/root.crl');
    const serial = openssl('x509', '-in', sub, '-noout', '-serial').trim().split('=')[1].toLowerCase();
    expect(shownSummary.replace(/[:\s]/g, '').toLowerCase()).toContain(serial);

    // the transcript names the certificate by its SHA-256, as openssl computes it
    await page.getByRole('button', { name: 'Print the transcript (PDF)' }).click();
    await page.locator('[data-testid="transcript-pdf"]').waitFor({ timeout: 60_000 });
    const printed = execFileSync('pdftotext', ['-layout', join(dir, 'transcript.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    const sha = sh(`openssl x509 -in '${sub}' -outform DER | openssl dgst -sha256 -r`).split(' ')[0];
    expect(printed.toLowerCase()).toContain(sha);
    expect(printed).toContain('CustodianE2EIssuingCA1');
    // the certificate, its hash file, the CSR and the chain were copied to the medium and read back (sha256sum agrees), the
    // witness confirmed the hashes, the print was made and the administrator confirmed it before the ceremony completed
    expect(expectCopiedAndPrinted(dir, subMedium).map((f) => f.name)).toContain('subordinate.pem');
  });
});
