import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprintOf, hexToBytes, toWords } from '../../../main/fingerprint';
import { JournalEventType, type JsonValue } from '../../../main/journal';
import { formatCheckValue, makeShareSet, shareSetRecord } from '../../../main/shares';
import { buildTranscriptModel } from '../../../main/transcript';
import { eventsOf, PEM_PUBLIC_KEY, sampleCeremony } from './ceremony-events';

async function sample(aborted = false) {
  const fingerprint = fingerprintOf('root public key').hex;
  const secret = new Uint8Array(randomBytes(32));
  const set = await makeShareSet(secret, { entropyBits: 128, n: 2, m: 2 });
  secret.fill(0);
  const record = shareSetRecord(set);
  const events = eventsOf(sampleCeremony({ fingerprint, shareSet: record as unknown as JsonValue, aborted }));
  return { fingerprint, record, events, model: buildTranscriptModel(events, { generatedAt: '2025-03-14T10:00:00.000Z' }) };
}

describe('transcript model from journal events', () => {
  it('lists every participant who checked in, with role, identity check and checker', async () => {
    const { model, events } = await sample();
    const checkIns = events.filter((e) => e.type === 'participant.checked-in');
    expect(model.participants.map((p) => p.id)).toEqual(checkIns.map((e) => (e.data as { participantId: string }).participantId));
    const custodian = model.participants.find((p) => p.id === 'custodian-1')!;
    expect(custodian).toMatchObject({ role: 'custodian', name: 'Carl Custodian', identityCheck: 'driving licence', checkedBy: 'witness-1' });
    expect(model.signatures.map((s) => s.name)).toEqual(model.participants.map((p) => p.name));
  });

  it('takes step titles and order from the script recorded in the first event', async () => {
    const { model } = await sample();
    expect(model.title).toBe('Root key generation');
    expect(model.steps.map((s) => [s.number, s.id, s.title])).toEqual([
      [1, 'welcome', 'Welcome and purpose'],
      [2, 'generate', 'Generate the root key pair'],
      [3, 'backup', 'Split the backup key'],
      [4, 'sign-off', 'Witnesses confirm the fingerprint'],
    ]);
    expect(model.steps.every((s) => s.outcome === 'completed')).toBe(true);
    expect(model.status).toBe('completed');
  });

  it('records a failed attempt and its retry both on the step and under exceptions', async () => {
    const { model, events } = await sample();
    const generate = model.steps.find((s) => s.id === 'generate')!;
    expect(generate.attempts.map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'failed'],
      [2, 'completed'],
    ]);
    expect(generate.attempts[0].reason).toContain('The token did not answer.');
    const failed = events.find((e) => e.type === 'step.failed')!;
    const retry = events.find((e) => e.type === 'step.retry')!;
    expect(model.exceptions.map((e) => [e.seq, e.kind])).toEqual([
      [failed.seq, 'failure'],
      [retry.seq, 'retry'],
      [retry.seq + 2, 'effect-check'],
    ]);
    expect(model.exceptions[1].text).toContain('Ada Administrator');
    expect(model.exceptions[1].text).toContain('token re-seated');
  });

  it('names who confirmed each step and when', async () => {
    const { model, events } = await sample();
    const confirmed = events.find((e) => e.type === 'step.confirmed' && (e.data as { stepId: string }).stepId === 'sign-off')!;
    const signOff = model.steps.find((s) => s.id === 'sign-off')!;
    expect(signOff.confirmedBy).toEqual([{ participantId: 'witness-1', name: 'Wendy Witness', time: confirmed.time }]);
  });

  it('prints fingerprints as hex and words, PEM blocks, share commitments and check values', async () => {
    const { model, fingerprint, record } = await sample();
    expect(model.fingerprints).toHaveLength(1);
    expect(model.fingerprints[0].digest.hex).toBe(fingerprint);
    expect(model.fingerprints[0].digest.words).toEqual(toWords(hexToBytes(fingerprint)));
    expect(model.pems).toEqual([expect.objectContaining({ pemType: 'PUBLIC KEY', pem: PEM_PUBLIC_KEY, stepId: 'generate' })]);
    expect(model.shareSets).toEqual([
      expect.objectContaining({ setId: record.setId, n: 2, m: 2, checkValueText: formatCheckValue(record.checkValue), commitments: record.commitments }),
    ]);
    const generate = model.steps.find((s) => s.id === 'generate')!;
    expect(generate.outputs.map((o) => o.name)).toEqual(['root-2025.pub.pem']);
    expect(generate.result.find((l) => l.label === 'publicKeyPem')?.value).not.toContain('BEGIN');
  });

  it('gives the chain head of the last event in hex and words', async () => {
    const { model, events } = await sample();
    const head = events[events.length - 1].hash;
    expect(model.journal.head.hex).toBe(head);
    expect(model.journal.head.words).toEqual(toWords(hexToBytes(head)));
    expect(model.journal.eventCount).toBe(events.length);
    expect(model.journal.closed).toBe(false);
  });

  it("reads the devices present and lists only the script's, matched to its token", async () => {
    const { model } = await sample();
    const token = model.devices.find((d) => d.serial === '5a1c0e7d93b1f2aa')!;
    expect(token).toMatchObject({
      id: 'hsm',
      vendor: 'SoftHSM project',
      model: 'SoftHSM v2',
      label: 'root-token',
      modulePath: '/usr/lib/softhsm/libsofthsm2.so',
    });
    // the YubiHSM simulator was present but the script never named it: not a device of this ceremony
    expect(model.devices.some((d) => d.kind === 'yubihsm')).toBe(false);
    expect(model.devices.filter((d) => d.serial).map((d) => d.serial)).toEqual(['5a1c0e7d93b1f2aa']);
    expect(model.devices.some((d) => d.kind === 'network')).toBe(false);
    expect(model.host).toMatchObject({ hostname: 'ceremony-ws', airGapped: true });
  });

  it('shows an aborted ceremony with the step that never ran', async () => {
    const { model } = await sample(true);
    expect(model.status).toBe('aborted');
    expect(model.steps.find((s) => s.id === 'sign-off')!.outcome).toBe('pending');
    const abort = model.exceptions.find((e) => e.kind === 'abort')!;
    expect(abort.text).toContain('fire alarm');
  });

  it('reports a torn tail, recorded in the journal or found by the verifier', () => {
    const events = eventsOf([
      { type: JournalEventType.Opened, data: { ceremonyId: 'c-torn', rehearsal: true } },
      { type: JournalEventType.TailRecovered, data: { fragments: [{ offset: 120, length: 37, sha256: 'ee'.repeat(32) }] } },
    ]);
    const fromEvent = buildTranscriptModel(events);
    expect(fromEvent.exceptions).toEqual([expect.objectContaining({ kind: 'torn-tail', seq: 2 })]);
    expect(fromEvent.exceptions[0].text).toContain('37');
    const fromVerifier = buildTranscriptModel(events.slice(0, 1), { tornTail: [{ offset: 99, length: 12, sha256: 'ff'.repeat(32) }] });
    expect(fromVerifier.exceptions).toEqual([expect.objectContaining({ kind: 'torn-tail', seq: 2 })]);
    expect(fromVerifier.rehearsal).toBe(true);
    expect(fromVerifier.ceremonyId).toBe('c-torn');
  });

  it('keeps steps the script does not list, with their ids as titles', () => {
    const events = eventsOf([
      { type: JournalEventType.Opened, data: { ceremonyId: 'c-x' } },
      { type: 'step.started', data: { stepId: 'mystery', attempt: 1, kind: 'action' } },
      { type: 'step.interrupted', data: { stepId: 'mystery', attempt: 1, reason: 'power cut' } },
    ]);
    const model = buildTranscriptModel(events, { rehearsal: true, ceremonyId: 'override' });
    expect(model.steps).toEqual([expect.objectContaining({ id: 'mystery', title: 'mystery', outcome: 'interrupted' })]);
    expect(model.exceptions[0]).toMatchObject({ kind: 'interrupted', stepId: 'mystery' });
    expect(model.ceremonyId).toBe('override');
    expect(model.rehearsal).toBe(true);
  });
});
