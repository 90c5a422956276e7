import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { retiredLabel } from '../../../main/ceremony/actions/lifecycle';
import { ensureRehearsalToken } from '../../../main/devices/rehearsal';
import { runCli } from '../../fixtures/cli';
import { answers as keygenAnswers, opensslFingerprint, tempDir } from '../keygen/harness';
import { pdfPageTexts, squeeze } from '../transcript/pdf-text';

// Each CA and key-lifecycle template, run by `custodian run` from its own answers example (paths and the rehearsal
// PIN filled in), one after the other on one rehearsal token; `custodian verify` of every journal is intact.

// The CLI's main in this process (test/fixtures/cli.ts), as `custodian …` runs it.
const cli = (home: string, ...args: string[]) => runCli(args, { CUSTODIAN_HOME: home });

describe('custodian run of the offline-root templates (rehearsal)', () => {
  it('runs sign-subordinate, sign-crl, key-rotation, inventory and key-destruction from their answers examples', async () => {
    const home = await tempDir('ca-cli-home');
    const { pins } = await ensureRehearsalToken(home);
    const work = await tempDir('ca-cli-work');
    const runTemplate = async (name: string, answersFile: string | Promise<string>) => {
      const answers = await answersFile;
      const script = await cli(home, 'template', name);
      expect(script.status, script.stderr).toBe(0);
      writeFileSync(join(work, `${name}.yaml`), script.stdout);
      writeFileSync(join(work, `${name}.answers.yaml`), answers);
      const out = join(work, name);
      const run = await cli(home, 'run', join(work, `${name}.yaml`), '--answers', join(work, `${name}.answers.yaml`), '--rehearsal', '--out', out);
      expect(run.status, `${name}: ${run.stdout}\n${run.stderr}`).toBe(0);
      const verify = await cli(home, 'verify', join(out, 'journal.jsonl'));
      expect(verify.status, verify.stdout + verify.stderr).toBe(0);
      return out;
    };
    const fromExample = async (name: string, parameters: Record<string, unknown>, values: Record<string, Record<string, unknown>> = {}) => {
      const example = await cli(home, 'template', name, '--answers-example');
      expect(example.status, example.stderr).toBe(0);
      const answers = parse(example.stdout) as { parameters: Record<string, unknown>; steps: Record<string, { input?: { values: Record<string, unknown> } }> };
      answers.parameters = { ...answers.parameters, ...parameters };
      answers.steps.login.input!.values.pin = pins.user;
      for (const [step, v] of Object.entries(values)) Object.assign(answers.steps[step].input!.values, v);
      return stringify(answers);
    };

    const root = await runTemplate(
      'key-generation',
      keygenAnswers(
        { algorithm: 'EC-P384', label: 'rehearsal-root', subject: 'CN=Custodian Rehearsal Root CA, O=Custodian Rehearsal', selfSigned: true },
        pins.user,
      ),
    );
    const rootPem = join(root, 'outputs', 'rehearsal-root.root-certificate.pem');

    const csrFile = join(work, 'issuing.csr');
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        join(work, 'issuing.key'),
        '-out',
        csrFile,
        '-subj',
        '/CN=Rehearsal Issuing CA/O=Custodian Rehearsal',
      ],
      { stdio: 'ignore' },
    );
    const requesterFingerprint = execFileSync(
      'sh',
      ['-c', `openssl req -in '${csrFile}' -pubkey -noout | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r`],
      { encoding: 'utf8' },
    ).split(' ')[0];
    const sub = await runTemplate(
      'sign-subordinate',
      fromExample('sign-subordinate', { rootCertificate: rootPem, csrFile }, { 'compare-fingerprint': { fingerprint: requesterFingerprint } }),
    );
    expect(execFileSync('openssl', ['verify', '-CAfile', rootPem, join(sub, 'outputs', 'subordinate.pem')], { encoding: 'utf8' })).toMatch(/: OK/);
    // The transcript a witness signs shows the certificate: subject, issuer, serial and its SHA-256.
    const transcript = squeeze(pdfPageTexts(join(sub, 'transcript.pdf')).join('\n'));
    const certSha = readFileSync(join(sub, 'outputs', 'subordinate.pem.sha256'), 'utf8').split(' ')[0];
    const serial = execFileSync('openssl', ['x509', '-in', join(sub, 'outputs', 'subordinate.pem'), '-noout', '-serial'], { encoding: 'utf8' })
      .trim()
      .split('=')[1]
      .toLowerCase();
    expect(transcript).toContain(squeeze('CN=Rehearsal Issuing CA, O=Custodian Rehearsal'));
    expect(transcript).toContain(squeeze('CN=Custodian Rehearsal Root CA, O=Custodian Rehearsal'));
    expect(transcript.toLowerCase()).toContain(serial);
    expect(transcript.toLowerCase()).toContain(certSha.slice(0, 16));

    const crl = await runTemplate('sign-crl', fromExample('sign-crl', { rootCertificate: rootPem }));
    expect(
      execFileSync('openssl', ['crl', '-in', join(crl, 'outputs', 'root-crl-1.crl'), '-noout', '-verify', '-CAfile', rootPem], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    ).toBe('');

    const oldFingerprint = await opensslFingerprint(join(root, 'outputs', 'rehearsal-root.public-key.pem'));
    await runTemplate('key-rotation', fromExample('key-rotation', { oldFingerprint, algorithm: 'EC-P256' }));
    const inventory = await runTemplate('inventory', fromExample('inventory', {}));
    const listed = JSON.parse(readFileSync(join(inventory, 'outputs', 'inventory.json'), 'utf8')) as { objects: { label: string }[] };
    expect(listed.objects.map((o) => o.label)).toEqual(expect.arrayContaining([retiredLabel('rehearsal-root', new Date()), 'rehearsal-root-2']));
    await runTemplate('key-destruction', fromExample('key-destruction', { label: retiredLabel('rehearsal-root', new Date()), fingerprint: oldFingerprint }));
  }, 900_000);
});
