import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryTransport, YubiHsmClient, YubiHsmSimulator } from '../../../native/yubihsm';
import { REHEARSAL_PASSWORDS } from '../../fixtures/templates/answers';
import { pdfPageTexts } from '../transcript/pdf-text';
import { filesContaining } from '../../fixtures/harness';
import { runTemplate } from './helpers';

// `custodian run` of yubihsm-setup and then yubihsm-auth-rotation with their answers examples, in one Custodian home:
// the rehearsal simulator (its state file in the home) is set up, then its operator key is rotated. Both complete,
// `custodian verify` accepts both journals, and no password reaches any file.

const NEW = 'rehearsal-operator-new';

describe('custodian run of the YubiHSM templates on the rehearsal simulator', () => {
  it('sets the simulator up, then rotates its operator key, with the answers examples', async () => {
    const home = mkdtempSync(join(tmpdir(), 'custodian-yubihsm-cli-'));
    const setup = await runTemplate(home, 'yubihsm-setup');
    const rotation = await runTemplate(home, 'yubihsm-auth-rotation');

    // the device itself (a copy of the rehearsal simulator's state file): key 1 gone, the rotated key replaced
    const copy = join(mkdtempSync(join(tmpdir(), 'yubihsm-state-')), 'state.json');
    copyFileSync(join(home, 'rehearsal', 'yubihsm-simulator.json'), copy);
    const client = new YubiHsmClient(new MemoryTransport(new YubiHsmSimulator({ stateFile: copy })), { keepAliveMs: 0 });
    expect((await client.canOpenSession(1, 'password')).ok).toBe(false);
    expect((await client.canOpenSession(2, REHEARSAL_PASSWORDS.admin)).ok).toBe(true);
    expect(await client.canOpenSession(3, REHEARSAL_PASSWORDS.operator)).toMatchObject({ ok: false, code: 'OBJECT_NOT_FOUND' });
    const events = readFileSync(join(rotation, 'journal.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const replacement = events.find((e: { type: string; data: { stepId?: string } }) => e.type === 'step.completed' && e.data.stepId === 'create-replacement')
      .data.result.keyId as number;
    expect((await client.canOpenSession(replacement, NEW)).ok).toBe(true);
    await client.close();

    const secrets = [...Object.values(REHEARSAL_PASSWORDS), NEW];
    for (const dir of [setup, rotation]) {
      const transcript = pdfPageTexts(join(dir, 'transcript.pdf')).join('\n');
      for (const s of secrets) expect(transcript).not.toContain(s);
      expect(filesContaining(dir, secrets)).toEqual([]);
    }
    expect(pdfPageTexts(join(setup, 'transcript.pdf')).join('\n').replace(/\s+/g, ' ')).toMatch(/newAnchor: \d+:/);
  }, 180_000);
});
