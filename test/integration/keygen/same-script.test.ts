import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript } from '../../../main/ceremony';
import { answers, opensslFingerprint, opensslVerifiesRoot, servicesOf, TEMPLATE_TEXT, tempDir } from './harness';
import { eventsOf, standinWorldForSuite } from './standin';

/**
 * Issue 23 item 4: the key-generation script that runs on the rehearsal token (SoftHSM2) runs on a module that
 * behaves like yubihsm_pkcs11 (the stand-in) with only its devices section changed. The same answers go to both.
 */

type Data = { stepId?: string; result?: Record<string, unknown> };

/** The script with its device pointed at `module`: the only lines that change are in the devices section. */
function withDevice(text: string, module: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l === 'devices:');
  const end = lines.findIndex((l, i) => i > start && /^\S/.test(l));
  return lines.map((l, i) => (i > start && i < end ? l.replace('module: default', `module: ${module}`) : l)).join('\n');
}

/** The indexes of the lines that differ, and where the devices section starts and ends. */
function changedLines(a: string, b: string): { changed: number[]; devices: [number, number] } {
  const left = a.split('\n');
  const right = b.split('\n');
  expect(right).toHaveLength(left.length);
  const start = left.findIndex((l) => l === 'devices:');
  return {
    changed: left.flatMap((l, i) => (l === right[i] ? [] : [i])),
    devices: [start, left.findIndex((l, i) => i > start && /^\S/.test(l))],
  };
}

const stepResult = async (dir: string, stepId: string) =>
  (await eventsOf(dir)).filter((e) => e.type === 'step.completed' && (e.data as Data).stepId === stepId).map((e) => (e.data as Data).result!)[0];

describe('the same key-generation script on SoftHSM2 and on the stand-in for yubihsm_pkcs11', () => {
  const worldOf = standinWorldForSuite();

  it('completes on both with the label, policy and certificate asked; each fingerprint is the key openssl reads', async () => {
    const world = worldOf();
    const softhsmText = TEMPLATE_TEXT();
    const standinText = withDevice(softhsmText, world.module);
    const { changed, devices } = changedLines(softhsmText, standinText);
    expect(changed).toHaveLength(1);
    expect(changed.every((i) => i > devices[0] && i < devices[1])).toBe(true);

    // the stand-in fronts the same SoftHSM2 token store, so the second key takes another label (the one answer changed)
    const runs = [
      { name: 'softhsm', script: softhsmText, services: servicesOf(world.context), idHex: 16, label: 'same-script-a' },
      { name: 'standin', script: standinText, services: world.services, idHex: 4, label: 'same-script-b' },
    ];
    const fingerprints: string[] = [];
    for (const run of runs) {
      const dir = await tempDir(`same-script-${run.name}`);
      const parameters = { algorithm: 'EC-P256', label: run.label, policy: 'signing', subject: 'CN=Same Script Root', selfSigned: true, csr: true };
      const text = answers(parameters, world.context.rehearsal!.pins.user);
      const result = await runScript(run.script, text, { dir, rehearsal: true, services: run.services });
      expect(result.status, `${run.name}: ${JSON.stringify(result.reason)}`).toBe('completed');
      const readBack = (await stepResult(dir, 'read-back'))!;
      expect(readBack).toMatchObject({ label: run.label, policy: 'signing', policyHolds: true, algorithm: 'EC-P256' });
      // the module decides the id's size: 8 bytes drawn on SoftHSM2, the 2 bytes yubihsm_pkcs11 holds on the stand-in
      expect(String(readBack.id)).toHaveLength(run.idHex);
      const preflight = (await stepResult(dir, 'preflight'))!;
      expect(preflight.token).toMatchObject({ label: world.context.rehearsal!.tokenLabel });
      const fingerprint = String(readBack.fingerprint).replace(/:/g, '').toLowerCase();
      expect(await opensslFingerprint(join(dir, 'outputs', `${run.label}.public-key.pem`))).toBe(fingerprint);
      expect(await opensslVerifiesRoot(join(dir, 'outputs', `${run.label}.root-certificate.pem`))).toBe(true);
      fingerprints.push(fingerprint);
    }
    // two runs, two keys
    expect(new Set(fingerprints).size).toBe(2);
  });
});
