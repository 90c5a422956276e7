// Ceremony events as the engine writes them (main/ceremony/engine/ceremony.ts), built in memory with the
// journal's own hashing, so the model builder can be tested without touching the disk.
import { GENESIS_PREV, hashEventFields, JournalEventType, type JournalEvent, type JsonValue } from '../../../main/journal';

export const SCRIPT_TEXT = `metadata:
  id: demo-keygen
  title: Root key generation
  description: Generate the root signing key.
roles:
  administrator: {}
  custodians: { count: 2, threshold: 2 }
  witnesses: { count: 1 }
devices:
  - id: hsm
    type: pkcs11
    module: /usr/lib/softhsm/libsofthsm2.so
    token: { label: root-token }
steps:
  - id: welcome
    kind: announce
    title: Welcome and purpose
    text: We generate the root key.
  - id: generate
    kind: action
    title: Generate the root key pair
    action: demo.hash-text
  - id: backup
    kind: action
    title: Split the backup key
    action: demo.roll-dice
  - id: sign-off
    kind: confirm
    title: Witnesses confirm the fingerprint
    quorum: { witnesses: 1 }
`;

export interface Draft {
  type: string;
  data: JsonValue;
}

export function eventsOf(drafts: Draft[], start = Date.UTC(2025, 2, 14, 9, 0, 0)): JournalEvent[] {
  const events: JournalEvent[] = [];
  let prev = GENESIS_PREV;
  drafts.forEach((draft, i) => {
    const fields = { seq: i + 1, time: new Date(start + i * 7000).toISOString(), type: draft.type, data: draft.data, prev };
    const event = { ...fields, hash: hashEventFields(fields) };
    events.push(event);
    prev = event.hash;
  });
  return events;
}

export const PEM_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEa1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6
q7r8s9t0u1v2w3x4y5z6A7B8C9D0E1F2G3H4I5J6K7L8M9N0O1P2Q3R4S5T6U7==
-----END PUBLIC KEY-----`;

export interface SampleOptions {
  fingerprint: string;
  shareSet: JsonValue;
  aborted?: boolean;
}

/** A small ceremony: four participants, a failed attempt and a retry, a fingerprint, a share set. */
export function sampleCeremony(options: SampleOptions): Draft[] {
  const checkIn = (participantId: string, role: string, name: string, identityCheck: string, checkedBy: string): Draft => ({
    type: 'participant.checked-in',
    data: { participantId, role, name, identityCheck, checkedBy },
  });
  const drafts: Draft[] = [
    {
      type: JournalEventType.Opened,
      data: {
        ceremonyId: 'demo-keygen-20250314-0900',
        title: 'Root key generation',
        rehearsal: false,
        scriptText: SCRIPT_TEXT,
        scriptSha256: 'ab'.repeat(32),
        appVersion: '0.1.0',
        parameters: {},
        host: { platform: 'linux', osRelease: '6.1', osVersion: '', arch: 'x64', hostname: 'ceremony-ws', interfacesUp: [], airGapped: true },
        devices: [
          {
            kind: 'pkcs11',
            module: '/usr/lib/softhsm/libsofthsm2.so',
            library: 'SoftHSM Implementation of PKCS11 2.6',
            tokens: [{ label: 'root-token', manufacturer: 'SoftHSM project', model: 'SoftHSM v2', serial: '5a1c0e7d93b1f2aa' }],
          },
          { kind: 'yubihsm', source: 'simulator', serial: 7550001, firmware: '2.4.0' },
          { kind: 'network', airGapped: true, interfacesUp: [] },
        ],
      },
    },
    checkIn('administrator', 'administrator', 'Ada Administrator', 'passport checked against the roster', 'witness-1'),
    checkIn('witness-1', 'witness', 'Wendy Witness', 'national ID card', 'administrator'),
    checkIn('custodian-1', 'custodian', 'Carl Custodian', 'driving licence', 'witness-1'),
    checkIn('custodian-2', 'custodian', 'Cleo Custodian', 'passport', 'witness-1'),
    { type: 'step.confirmed', data: { stepId: 'welcome', participantId: 'administrator' } },
    { type: 'step.started', data: { stepId: 'welcome', index: 0, kind: 'announce', attempt: 1 } },
    { type: 'step.completed', data: { stepId: 'welcome', attempt: 1, result: { confirmedBy: ['administrator'] }, confirmedBy: ['administrator'] } },
    { type: 'step.started', data: { stepId: 'generate', index: 1, kind: 'action', attempt: 1 } },
    { type: 'step.failed', data: { stepId: 'generate', attempt: 1, reason: { code: 'DeviceError', message: 'The token did not answer.' } } },
    { type: 'step.retry', data: { stepId: 'generate', reason: 'token re-seated', by: 'administrator', afterAttempt: 1 } },
    { type: 'step.started', data: { stepId: 'generate', index: 1, kind: 'action', attempt: 2 } },
    { type: 'step.effect-checked', data: { stepId: 'generate', attempt: 2, state: 'absent', detail: null } },
    {
      type: 'step.completed',
      data: {
        stepId: 'generate',
        attempt: 2,
        result: { keyLabel: 'root-2025', fingerprint: options.fingerprint, publicKeyPem: PEM_PUBLIC_KEY },
        confirmedBy: [],
        outputs: [{ name: 'root-2025.pub.pem', sha256: 'cd'.repeat(32), size: 178 }],
      },
    },
    { type: 'step.started', data: { stepId: 'backup', index: 2, kind: 'action', attempt: 1 } },
    { type: 'step.completed', data: { stepId: 'backup', attempt: 1, result: { shareSet: options.shareSet }, confirmedBy: [] } },
  ];
  if (options.aborted) {
    drafts.push({ type: 'ceremony.aborted', data: { reason: 'fire alarm', by: 'administrator', atStep: 'sign-off' } });
    return drafts;
  }
  drafts.push(
    { type: 'step.confirmed', data: { stepId: 'sign-off', participantId: 'witness-1' } },
    { type: 'step.started', data: { stepId: 'sign-off', index: 3, kind: 'confirm', attempt: 1 } },
    { type: 'step.completed', data: { stepId: 'sign-off', attempt: 1, result: { confirmedBy: ['witness-1'] }, confirmedBy: ['witness-1'] } },
    { type: 'ceremony.completed', data: { steps: 4 } },
  );
  return drafts;
}
