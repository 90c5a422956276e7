import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliIn as custodian, runTemplate } from './helpers';
import { expectCopiedAndPrinted } from '../../fixtures/evidence';
import { pdfPageTexts } from '../transcript/pdf-text';

// `custodian run` of yubihsm-key-generation with its own answers example, on the rehearsal simulator: the ceremony
// completes, the outputs hold the attestation next to the public key, CSR and root, and the printed transcript
// carries the attestation the witness confirmed.

describe('custodian run yubihsm-key-generation', () => {
  it('runs the answers example on the simulator and prints the attestation in the transcript', async () => {
    const home = mkdtempSync(join(tmpdir(), 'custodian-yubihsm-keygen-cli-'));
    const out = await runTemplate(home, 'yubihsm-key-generation');
    expect(readdirSync(join(out, 'outputs')).sort()).toEqual([
      'rehearsal-root.attestation-chain.pem',
      'rehearsal-root.attestation.pem',
      'rehearsal-root.csr.pem',
      'rehearsal-root.public-key.pem',
      'rehearsal-root.root-certificate.pem',
    ]);
    const transcript = pdfPageTexts(join(out, 'transcript.pdf')).join('\n').replace(/\s+/g, ' ');
    expect(transcript).toContain('show-attestation · show');
    expect(transcript).toContain('attestedOrigin: generated');
    // the attestation certificate itself is printed, the same bytes as in the outputs
    expect(transcript).toContain('Have the device attest the key · attestationPem (CERTIFICATE)');
    const body = readFileSync(join(out, 'outputs', 'rehearsal-root.attestation.pem'), 'utf8').replace(/-----[A-Z ]+-----|\s/g, '');
    expect(transcript.replace(/\s/g, '')).toContain(body);

    // then the inventory of the same simulator, from its own answers example: the key is listed and attested
    const inventoryScript = await custodian(home, ['template', 'yubihsm-inventory']);
    const inventoryAnswers = await custodian(home, ['template', 'yubihsm-inventory', '--answers-example']);
    writeFileSync(join(home, 'inventory.yaml'), inventoryScript.out);
    // the export step copies to a medium of its own (the example says /tmp)
    const medium = mkdtempSync(join(tmpdir(), 'custodian-yubihsm-inventory-medium-'));
    expect(inventoryAnswers.out).toContain('destination: /tmp\n');
    writeFileSync(join(home, 'inventory.answers.yaml'), inventoryAnswers.out.replace('destination: /tmp\n', `destination: '${medium}'\n`));
    const inventoryOut = join(home, 'inventory');
    const inventory = await custodian(home, [
      'run',
      join(home, 'inventory.yaml'),
      '--answers',
      join(home, 'inventory.answers.yaml'),
      '--rehearsal',
      '--out',
      inventoryOut,
    ]);
    expect(inventory.code, inventory.out).toBe(0);
    expect((await custodian(home, ['verify', join(inventoryOut, 'journal.jsonl')])).code).toBe(0);
    const listed = readdirSync(join(inventoryOut, 'outputs'));
    expect(listed.filter((f) => f.endsWith('.attestation.pem'))).toHaveLength(1);
    expect(listed.some((f) => /-inventory\.json$/.test(f))).toBe(true);
    const printed = pdfPageTexts(join(inventoryOut, 'transcript.pdf')).join('\n').replace(/\s+/g, ' ');
    expect(printed).toMatch(/1 asymmetric keys, 1 attested and verified/);
    // the inventory file, the attestation and the audit log copied, each hash on the medium sha256sum's and printed; the print confirmed
    expect(expectCopiedAndPrinted(inventoryOut, medium).map((f) => f.name)).toEqual([...listed].sort());
  }, 240_000);
});
