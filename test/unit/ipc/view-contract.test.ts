import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Router, type HandlerMap } from '../../../main/ipc/router';
import { transcriptModelFromJournal } from '../../../main/transcript';
import { REQUEST_CHANNELS, type RequestChannel } from '../../../preload/channels';
import { CeremonyViewSchema, TranscriptModelSchema, type CeremonyView } from '../../../preload/api';
import { checkInEveryone, demoCeremony, tempDir } from '../ceremony/fixtures';

// The contract checks what it claims: a real view and a real transcript model pass the router's response check, and
// any field the contract does not declare — a PIN that slipped into a view — fails it, naming the field, never its value.

function answering(channel: RequestChannel, value: unknown): Router {
  const handlers = Object.fromEntries(REQUEST_CHANNELS.map((c) => [c, () => (c === channel ? value : {})]));
  return new Router(handlers as unknown as HandlerMap);
}

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((cleanup) => cleanup()));

/** The demo ceremony with everyone checked in, in its own folder: a view with a current step and participants. */
async function realView(): Promise<{ view: CeremonyView; journalPath: string }> {
  const temp = tempDir();
  cleanups.push(temp.cleanup);
  const ceremony = await demoCeremony(temp.dir);
  await checkInEveryone(ceremony);
  return { view: ceremony.view(), journalPath: ceremony.journalPath };
}

describe('the ceremony view and transcript model contract', () => {
  it('passes a real view, and refuses it with an extra field anywhere, naming the field and not the value', async () => {
    const { view } = await realView();
    expect(view.current).not.toBeNull();
    const ok = await answering('ceremony.view', view).handle('ceremony.view', { id: view.ceremonyId }, { host: 'test' });
    expect(ok).toEqual({ ok: true, value: view });

    const leaks: Array<[string, unknown]> = [
      ['top level', { ...view, pin: '24681357' }],
      ['current step', { ...view, current: { ...view.current!, pin: '24681357' } }],
      ['participant', { ...view, participants: view.participants.map((p, i) => (i === 0 ? { ...p, pin: '24681357' } : p)) }],
      ['step summary', { ...view, steps: view.steps.map((s, i) => (i === 0 ? { ...s, soPin: '24681357' } : s)) }],
      ['failure', { ...view, steps: view.steps.map((s, i) => (i === 0 ? { ...s, failure: { code: 'X', message: 'y', pin: '24681357' } } : s)) }],
    ];
    for (const [where, leaked] of leaks) {
      const result = await answering('ceremony.view', leaked).handle('ceremony.view', { id: view.ceremonyId }, { host: 'test' });
      expect(result.ok, where).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('InvalidResponse');
        expect(result.error.message).toMatch(/pin|soPin/);
        expect(result.error.message).not.toContain('24681357');
      }
    }
  });

  it('accepts the fields other work adds to the view (mode, devices, retryable, relogin) and nothing else', async () => {
    const { view: base } = await realView();
    const extended = {
      ...base,
      mode: 'rehearsal',
      devices: [{ id: 'token', kind: 'pkcs11', description: 'SoftHSM2 rehearsal token', rehearsal: true, reason: 'the rehearsal store' }],
      current: base.current && {
        ...base.current,
        failure: { code: 'X', message: 'y', retryable: false },
        relogin: { participantId: 'administrator', name: 'Ada', message: 'Log in again' },
      },
    };
    expect(CeremonyViewSchema.safeParse(extended).success).toBe(true);
    expect(CeremonyViewSchema.safeParse({ ...extended, mode: 'practice' }).success).toBe(false);
  });

  it('passes a real transcript model and refuses one with an extra field', async () => {
    const { journalPath } = await realView();
    const model = await transcriptModelFromJournal(readFileSync(journalPath));
    expect(TranscriptModelSchema.safeParse(model).success).toBe(true);
    const router = answering('ceremony.transcriptModel', model);
    expect(await router.handle('ceremony.transcriptModel', { id: model.ceremonyId }, { host: 'test' })).toMatchObject({ ok: true });
    const leaked = { ...model, participants: model.participants.map((p) => ({ ...p, password: 'hunter2hunter2' })) };
    const refused = await answering('ceremony.transcriptModel', leaked).handle('ceremony.transcriptModel', { id: model.ceremonyId }, { host: 'test' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'InvalidResponse' } });
    if (!refused.ok) expect(refused.error.message).not.toContain('hunter2');
  });
});
