import { describe, expect, it } from 'vitest';
import { buildTranscriptModel } from '../../../main/transcript/build-model';
import { buildEvents } from '../journal/build-journal';

const FP = '7d8993634f4a92e64f1f8a07a0764c5d2b5186208498a55cf55e40cac73f5337';
const CERT = '6817707795fe8a00acefe9dd2d600d187e38badf9ffd63c08ab324160be0b879';

const script = `metadata: { id: kg, title: Key generation }
roles:
  administrator: {}
  witnesses: { count: 1 }
steps:
  - { id: login, kind: action, title: Log in, action: pkcs11.login }
  - { id: read-back, kind: action, title: Read back, action: keygen.read-back }
  - { id: certify, kind: action, title: Certify, action: x509.certify }
`;

function model() {
  return buildTranscriptModel(
    buildEvents([
      { type: 'journal.opened', data: { ceremonyId: 'kg-1', title: 'Key generation', rehearsal: true, scriptText: script } },
      {
        type: 'participant.checked-in',
        data: { participantId: 'witness-1', role: 'witness', name: 'Wendy', identityCheck: 'passport', checkedBy: 'administrator' },
      },
      { type: 'step.started', data: { stepId: 'login', attempt: 1 } },
      { type: 'step.attempt-rejected', data: { stepId: 'login', attempt: 1, reason: { code: 'PinIncorrect', message: 'Wrong PIN.' } } },
      { type: 'step.started', data: { stepId: 'login', attempt: 2 } },
      { type: 'step.completed', data: { stepId: 'login', attempt: 2, result: { user: 'USER', after: { finalTry: false } } } },
      { type: 'step.started', data: { stepId: 'read-back', attempt: 1 } },
      {
        type: 'step.completed',
        data: {
          stepId: 'read-back',
          attempt: 1,
          result: { label: 'root', id: '5fea', algorithm: 'EC-P384', policy: 'signing', policyHolds: true, fingerprint: FP },
        },
      },
      { type: 'step.started', data: { stepId: 'certify', attempt: 1 } },
      {
        type: 'step.completed',
        data: {
          stepId: 'certify',
          attempt: 1,
          result: {
            made: 'root certificate',
            certificate: { certificateFingerprint: CERT, subject: 'CN=Root', notBefore: '2026-12-01T08:00:00.000Z', notAfter: '2046-12-01T08:00:00.000Z' },
          },
        },
      },
    ]),
  );
}

describe('the transcript summary a witness signs', () => {
  it('lists each key with its fingerprint in hex and words, and each certificate with its subject, validity and SHA-256', () => {
    const m = model();
    expect(m.summary!.keys).toEqual([expect.objectContaining({ label: 'root', id: '5fea', algorithm: 'EC-P384', policy: 'signing' })]);
    expect(m.summary!.keys[0].fingerprint!.hex).toBe(FP);
    expect(m.summary!.keys[0].fingerprint!.words).toHaveLength(24);
    expect(m.summary!.certificates).toEqual([
      expect.objectContaining({ kind: 'certificate', subject: 'CN=Root', sha256: CERT, notAfter: '2046-12-01T08:00:00.000Z' }),
    ]);
  });

  it('gives each step a one-line result, and counts a refused PIN on its step without an exception', () => {
    const m = model();
    const login = m.steps.find((s) => s.id === 'login')!;
    expect(login).toMatchObject({ outcome: 'completed', line: 'User logged in', rejectedTries: 1 });
    expect(login.attempts[0]).toMatchObject({ outcome: 'rejected', reason: 'Wrong PIN.' });
    expect(m.steps.find((s) => s.id === 'read-back')!.line).toBe('EC-P384 key “root”, policy checked');
    expect(m.steps.find((s) => s.id === 'certify')!.line).toBe('Made: root certificate');
    expect(m.exceptions).toEqual([]);
  });
});
