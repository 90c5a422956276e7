import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { retiredLabel } from '../../../main/ceremony/actions/lifecycle';
import { ensureRehearsalToken } from '../../../main/devices/rehearsal';
import { runCli } from '../../fixtures/harness';
import { opensslCsr } from '../../fixtures/openssl';
import { expectCopiedAndPrinted } from '../../fixtures/evidence';
import { answers as keygenAnswers, opensslFingerprint, tempDir } from '../keygen/harness';
import { pdfPageTexts, squeeze } from '../transcript/pdf-text';

// Each CA and key-lifecycle template, run by `custodian run` from its own answers example (paths and the rehearsal
// PIN filled in), one after the other on one rehearsal token; `custodian verify` of every journal is intact.

// The CLI's main in this process (test/fixtures/cli.ts), as `custodian …` runs it.
const cli = (home: string, ...args: string[]) => runCli(args, { CUSTODIAN_HOME: home });

/** DER length prefix */
const derLength = (n: number) => (n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]));
const tlv = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);

/** An EC public key's SubjectPublicKeyInfo from pkcs11-tool's listing (CKA_EC_PARAMS and the DER-wrapped CKA_EC_POINT). */
function ecSpkiFromListing(block: string): Buffer | null {
  const point = /EC_POINT:\s+([0-9a-f]+)/.exec(block)?.[1];
  const params = /EC_PARAMS:\s+([0-9a-f]+)/.exec(block)?.[1];
  if (!point || !params) return null;
  const octets = Buffer.from(point, 'hex');
  const raw = octets.subarray(octets[1] & 0x80 ? 2 + (octets[1] & 0x7f) : 2); // unwrap the OCTET STRING
  const algorithm = tlv(0x30, Buffer.concat([Buffer.from('06072a8648ce3d0201', 'hex'), Buffer.from(params, 'hex')]));
  return tlv(0x30, Buffer.concat([algorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), raw]))]));
}

describe('custodian run of the offline-root templates (rehearsal)', () => {
  it('runs sign-subordinate, sign-crl, key-rotation, inventory and key-destruction from their answers examples', async () => {
    const home = await tempDir('ca-cli-home');
    const rehearsal = await ensureRehearsalToken(home);
    const { pins } = rehearsal;
    const work = await tempDir('ca-cli-work');
    // the removable medium the export steps copy to
    const medium = await tempDir('ca-cli-medium');
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
      // each template copies its outputs (read back, hashed, witnessed) and prints the transcript before it completes
      if (name !== 'key-generation') expectCopiedAndPrinted(out, medium);
      return out;
    };
    const fromExample = async (name: string, parameters: Record<string, unknown>, values: Record<string, Record<string, unknown>> = {}) => {
      const example = await cli(home, 'template', name, '--answers-example');
      expect(example.status, example.stderr).toBe(0);
      const answers = parse(example.stdout) as { parameters: Record<string, unknown>; steps: Record<string, { input?: { values: Record<string, unknown> } }> };
      answers.parameters = { ...answers.parameters, ...parameters };
      answers.steps.login.input!.values.pin = pins.user;
      answers.steps.export.input!.values.destination = medium;
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

    const csrFile = opensslCsr('/CN=Rehearsal Issuing CA/O=Custodian Rehearsal', work, 'issuing');
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
    // the printed inventory lists every object pkcs11-tool lists, each public key with the fingerprint openssl computes
    const tool = (...args: string[]) =>
      execFileSync('pkcs11-tool', ['--module', rehearsal.modulePath, '--token-label', rehearsal.tokenLabel, '--login', '--pin', pins.user, ...args], {
        encoding: 'utf8',
        env: { ...process.env, SOFTHSM2_CONF: rehearsal.softhsmConf },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    const printed = squeeze(pdfPageTexts(join(inventory, 'transcript.pdf')).join('\n')).toLowerCase();
    const blocks = tool('--list-objects').split(/\n(?=\S)/);
    const labels = blocks.map((b) => /^\s+label:\s+(.+)$/m.exec(b)?.[1].trim()).filter((l): l is string => Boolean(l));
    expect(labels.length).toBeGreaterThanOrEqual(4);
    for (const label of labels) expect(printed, label).toContain(squeeze(label).toLowerCase());
    for (const block of blocks.filter((b) => b.startsWith('Public Key Object'))) {
      const label = /^\s+label:\s+(.+)$/m.exec(block)![1].trim();
      const der = join(work, `${label}.pub.der`);
      const ec = ecSpkiFromListing(block);
      // OpenSC 0.23's --read-object cannot export a P-384 key: for EC keys the SPKI is built from what it lists
      if (ec) writeFileSync(der, ec);
      else tool('--read-object', '--type', 'pubkey', '--label', label, '--output-file', der);
      const sha = execFileSync('sh', ['-c', `openssl pkey -pubin -inform DER -in '${der}' -outform DER | openssl dgst -sha256 -r`], { encoding: 'utf8' }).split(
        ' ',
      )[0];
      expect(printed, label).toContain(sha);
    }
    await runTemplate('key-destruction', fromExample('key-destruction', { label: retiredLabel('rehearsal-root', new Date()), fingerprint: oldFingerprint }));
  }, 900_000);
});
