import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Ceremony, defaultActionRegistry, SecretVault, type ActionDefinition } from '../../../main/ceremony';
import { tempDir } from './fixtures';

// Typed secrets reach an action as bytes, and those very bytes are zero once the step is over, whether it succeeded
// or failed; a result that echoes a typed secret is refused by the journal and the step fails, naming the field.

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

const script = (action: string) => `metadata: { id: buffers, title: Secret buffers }
roles:
  administrator: {}
  witnesses: { count: 1 }
steps:
  - id: act
    kind: action
    title: Use a PIN
    action: ${action}
    inputs:
      from: administrator
      fields: [{ name: pin, label: PIN, type: text, secret: true }]
`;

async function runWithPin(action: ActionDefinition, pin: string) {
  const registry = defaultActionRegistry.extend();
  registry.register('test.use-pin', action);
  const temp = tempDir();
  cleanups.push(temp.cleanup);
  const ceremony = await Ceremony.create(script('test.use-pin'), {}, temp.dir, { actions: registry, services: { vault: new SecretVault() } });
  await ceremony.checkIn({ participantId: 'administrator', name: 'Ada', identityCheck: 'passport', checkedBy: 'witness-1' });
  await ceremony.checkIn({ participantId: 'witness-1', name: 'Wendy', identityCheck: 'passport', checkedBy: 'administrator' });
  await ceremony.provideInput('act', 'administrator', { pin });
  return { ceremony, view: await ceremony.runCurrentStep('act') };
}

describe('typed secrets are bytes, zeroed after the step', () => {
  it('succeeding: the action got a Uint8Array with the PIN, and it is all zeros afterwards', async () => {
    let held: Uint8Array | undefined;
    let sawText = '';
    const { view, ceremony } = await runWithPin(
      {
        async run(_ctx, _params, inputs) {
          held = inputs.pin as Uint8Array;
          sawText = new TextDecoder().decode(held);
          return { publicResult: { used: true } };
        },
      },
      '24681357',
    );
    expect(view.status).toBe('completed');
    expect(held).toBeInstanceOf(Uint8Array);
    expect(sawText).toBe('24681357');
    expect(held!.every((b) => b === 0)).toBe(true);
    expect(ceremony.secretsHeld).toBe(0);
  });

  it('failing: the bytes are zeroed just the same', async () => {
    let held: Uint8Array | undefined;
    const { view } = await runWithPin(
      {
        async run(_ctx, _params, inputs) {
          held = inputs.pin as Uint8Array;
          throw new Error('the token said no');
        },
      },
      '13572468',
    );
    expect(view.current?.failure?.message).toContain('the token said no');
    expect(held!.every((b) => b === 0)).toBe(true);
  });

  it('a result echoing the typed PIN (here as hex) is refused by the journal: the step fails naming the field, and the PIN is zeroed', async () => {
    let held: Uint8Array | undefined;
    const { view, ceremony } = await runWithPin(
      {
        async run(_ctx, _params, inputs) {
          held = inputs.pin as Uint8Array;
          return { publicResult: { note: Buffer.from(held).toString('hex') } };
        },
      },
      'correct horse battery',
    );
    expect(view.current?.status).toBe('failed');
    expect(view.current?.failure?.code).toBe('SecretValue');
    expect(view.current?.failure?.message).toContain('data.result.note');
    expect(view.current?.failure?.message).not.toContain(Buffer.from('correct horse battery').toString('hex'));
    expect(held!.every((b) => b === 0)).toBe(true);
    const journal = readFileSync(ceremony.journalPath, 'utf8');
    expect(journal).not.toContain(Buffer.from('correct horse battery').toString('hex'));
    expect(journal).not.toContain('correct horse battery');
  });
});
