import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenshotPath, tempHome, useBrowserHost } from '../fixtures/harness';
import { driveCeremony } from './ceremony-driver';

const PEOPLE = [
  { participant: 'administrator', name: 'Ada Lovelace', identityCheck: 'Passport checked against the roster', checkedBy: 'witness-1' },
  { participant: 'witness-1', name: 'Wendy Okafor', identityCheck: 'Passport checked against the roster', checkedBy: 'administrator' },
];

function sh(command: string, env: NodeJS.ProcessEnv = {}): { code: number; out: string } {
  const r = spawnSync('sh', ['-c', command], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}

const squeeze = (text: string) => text.replace(/\s+/g, '');

describe('the key-generation ceremony in Chromium on SoftHSM2', () => {
  const browser = useBrowserHost('keygen');

  const roots = [
    { algorithm: 'EC-P384', label: 'root-p384', subject: 'CN=Custodian E2E Root P-384, O=Custodian Test, C=NL', shots: 'e2e-keygen-p384' },
    { algorithm: 'RSA-3072', label: 'root-rsa3072', subject: 'CN=Custodian E2E Root RSA-3072, O=Custodian Test, C=NL', shots: 'e2e-keygen-rsa3072' },
  ];

  for (const root of roots) {
    it(`${root.algorithm} root with CSR and self-signed certificate: openssl verifies both, the key is sensitive and never extractable, the printed fingerprint is openssl's`, async () => {
      const { host, home } = browser;
      const { page } = host;
      const rehearsal = host.context.rehearsal!;
      await page.getByRole('button', { name: 'Ceremonies' }).click();
      await page.locator('button[data-template="key-generation"]').click();
      const form = page.locator('[data-testid="new-ceremony"]');
      await form.locator('select[name="algorithm"]').selectOption(root.algorithm);
      await form.locator('input[name="label"]').fill(root.label);
      await form.locator('input[name="subject"]').fill(root.subject);
      await form.locator('input[name="validityYears"]').fill('20');
      await form.locator('input[name="csr"]').check();
      await form.locator('input[name="selfSigned"]').check();
      await page.screenshot({ path: screenshotPath(`${root.shots}-00-parameters`), fullPage: true });
      await page.getByRole('button', { name: 'Start the ceremony' }).click();

      const noPin = { by: 'administrator', values: {} };
      const copyMedium = tempHome('copy-medium');
      let shownFingerprint = '';
      let shownCopy = '';
      const result = await driveCeremony(page, {
        checkIns: PEOPLE,
        inputs: {
          login: { by: 'administrator', values: { pin: rehearsal.pins.user } },
          generate: noPin,
          'read-back': noPin,
          certify: noPin,
          export: { by: 'administrator', values: { destination: copyMedium } },
        },
        onStep: async (stepId) => {
          if (stepId === 'check-copy') shownCopy = await page.locator('[data-testid="show"]').innerText();
          if (stepId === 'show-fingerprint') shownFingerprint = squeeze(await page.locator('[data-testid="show-hex"]').innerText());
          if (stepId === 'confirm-token') expect(await page.locator('[data-testid="show"]').innerText()).toContain('SoftHSM project');
          // the witness reads the key's attributes in words; the token's own names are for the details view only
          if (stepId === 'show-attributes') {
            const shown = await page.locator('[data-testid="show"]').innerText();
            expect(shown).toMatch(/value never readable in clear +yes/);
            expect(shown).not.toMatch(/CKA_|CKK_/);
          }
        },
        screenshotPrefix: root.shots,
      });
      expect(result.status).toBe('completed');
      expect(result.stepsSeen).toEqual(
        expect.arrayContaining(['preflight', 'login', 'generate', 'read-back', 'show-fingerprint', 'certify', 'export', 'check-copy']),
      );

      const id = (await page.getAttribute('[data-testid="ceremony"]', 'data-ceremony'))!;
      const dir = join(home, 'ceremonies', id);
      const outputs = join(dir, 'outputs');
      const certificate = join(outputs, `${root.label}.root-certificate.pem`);
      const csr = join(outputs, `${root.label}.csr.pem`);
      const publicKey = join(outputs, `${root.label}.public-key.pem`);

      // openssl, independently of Custodian.
      const verified = sh(`openssl verify -CAfile '${certificate}' -check_ss_sig '${certificate}'`);
      expect(verified.out).toContain(': OK');
      expect(verified.code).toBe(0);
      const request = sh(`openssl req -in '${csr}' -verify -noout`);
      expect(request.code, request.out).toBe(0);
      expect(request.out).toMatch(/verify OK/);
      const fingerprint = sh(`openssl pkey -pubin -in '${publicKey}' -outform DER | openssl dgst -sha256 -r`).out.split(' ')[0];
      expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(shownFingerprint).toBe(fingerprint);
      const text = sh(`openssl x509 -in '${certificate}' -noout -subject -dates`).out;
      expect(text).toContain(root.label === 'root-p384' ? 'Root P-384' : 'Root RSA-3072');

      // The copy step: every output on the medium the administrator typed, each hash shown to the witness is sha256sum's.
      const copied = join(copyMedium, id);
      expect(readdirSync(copied).sort()).toEqual(readdirSync(outputs).sort());
      for (const name of readdirSync(copied)) {
        const sum = sh(`sha256sum '${join(copied, name)}'`).out.split(' ')[0];
        expect(sum).toMatch(/^[0-9a-f]{64}$/);
        expect(shownCopy).toContain(`${name}  ${statSync(join(copied, name)).size} bytes  SHA-256 ${sum}`);
      }

      // OpenSC, independently of Custodian: the private key is sensitive and has never been extractable.
      const listing = sh(
        `pkcs11-tool --module '${rehearsal.modulePath}' --token-label '${rehearsal.tokenLabel}' --login --pin '${rehearsal.pins.user}' --list-objects`,
        { SOFTHSM2_CONF: rehearsal.softhsmConf },
      ).out;
      const privateKey = listing.split(/\n(?=\S)/).find((b) => b.startsWith('Private Key Object') && new RegExp(`label:\\s+${root.label}\\s*$`, 'm').test(b));
      expect(privateKey, listing).toMatch(new RegExp(`^Private Key Object[\\s\\S]*\\blabel:\\s+${root.label}\\s*$`, 'm'));
      expect(privateKey).toMatch(/Access:.*\bsensitive\b/);
      expect(privateKey).toMatch(/Access:.*never extractable/);

      // The transcript from the panel's button; the fingerprint printed in it is openssl's.
      await page.getByRole('button', { name: 'Print the transcript (PDF)' }).click();
      await page.locator('[data-testid="transcript-pdf"]').waitFor({ timeout: 60_000 });
      const pdf = join(dir, 'transcript.pdf');
      expect(existsSync(pdf)).toBe(true);
      const printed = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
      expect(squeeze(printed)).toContain(fingerprint);
      for (const name of readdirSync(copied)) expect(squeeze(printed)).toContain(sh(`sha256sum '${join(copied, name)}'`).out.split(' ')[0]);
      expect(squeeze(printed)).toContain(squeeze(readFileSync(certificate, 'utf8')).slice(30, 90));
      // a SoftHSM-only ceremony: the YubiHSM simulator was present but unused, so it is not among the devices
      expect((printed.match(/.*YubiHSM.*/g) ?? []).filter((line) => !line.includes('rehearsal hardware'))).toEqual([]);
      await page.screenshot({ path: screenshotPath(`${root.shots}-99-transcript`), fullPage: true });

      // Export to "removable media": a chosen folder; a second export to the same place overwrites nothing.
      const media = tempHome('media');
      await page.locator('input[name="destination"]').fill(media);
      await page.locator('[data-testid="export-destination"]').waitFor();
      await page.getByRole('button', { name: 'Export outputs' }).click();
      await expect.poll(() => page.locator('[data-testid="export-message"]').innerText()).toContain('Exported');
      const exported = join(media, id, 'outputs');
      expect(readdirSync(exported).sort()).toEqual(readdirSync(outputs).sort());
      for (const name of readdirSync(outputs)) expect(readFileSync(join(exported, name))).toEqual(readFileSync(join(outputs, name)));
      const before = statSync(join(exported, `${root.label}.root-certificate.pem`)).mtimeMs;
      await page.getByRole('button', { name: 'Export outputs' }).click();
      await expect.poll(() => page.locator('[data-testid="export-message"]').innerText()).toMatch(/already exists/);
      expect(statSync(join(exported, `${root.label}.root-certificate.pem`)).mtimeMs).toBe(before);
    });
  }
});
