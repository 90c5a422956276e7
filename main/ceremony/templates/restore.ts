import { scalarParameters } from './parameters';
// Restore from a split-knowledge backup: the bundle is checked first (hashes against the manifest and the backup's
// journal), the target token is checked for label clashes, M custodians type their shares one at a time (each checked
// as it is typed), the KEK is rebuilt and checked, and only then is anything written to the target token.
import { shapeOf } from './backup';

export const name = 'restore';

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const TOKEN = `token: { label: "\${parameters.targetTokenLabel}" }`;
const COLLECTOR = 'restore.collector';
const KEK = 'restore.kek';

function shareSteps(m: number): string {
  return range(m)
    .map(
      (k) => `
  - id: enter-share-${k}
    kind: action
    title: Share ${k} of ${m} — one custodian types their share
    text: >-
      The custodian types every group of four from their card; no one else looks. The share is checked at once
      against the bundle's set (checksum, set id, commitment) and kept only in memory.
    action: shares.accept
    params:
      collectorVaultKey: ${COLLECTOR}
      shareSet: "\${steps.read-bundle.result.shareSet}"
      expectedFrom: the chosen backup bundle
    inputs:
      from: custodians
      fields:
        - { name: share, label: Your share as printed on your card, type: text, secret: true, journal: commitment, maxLength: 200 }`,
    )
    .join('\n');
}

export function scriptFor(parameters: Record<string, unknown>): string {
  const { custodians: n, threshold: m } = shapeOf(parameters);
  return `# Restore keys from a split-knowledge backup bundle with ${m} of the ${n} custodians' shares.
metadata:
  id: restore
  title: Restore keys from a split-knowledge backup
  description: Check the bundle, collect ${m} shares one at a time, rebuild the KEK and unwrap the keys into the target token with their recorded policy.
  version: "1"

roles:
  administrator: {}
  custodians:
    count: ${n}
    threshold: ${m}
    attendance: threshold
  witnesses:
    count: 1

devices:
  - id: target
    type: pkcs11
    description: The token the keys are restored into, normally a different, freshly initialised one (the targetTokenLabel parameter chooses it)
    module: default
    token: { label: Custodian Rehearsal }

parameters:
  targetTokenLabel:
    type: string
    default: Custodian Rehearsal
    description: Label of the token to restore into.
  bundle:
    type: string
    default: ""
    description: Folder of the backup bundle (the backup ceremony's outputs/<bundle dir>).
  backupJournal:
    type: string
    default: ""
    description: The backup ceremony's journal.jsonl, to check the bundle against (optional but recommended).
  custodians:
    type: integer
    default: ${n}
    description: How many custodians hold a share (N).
  threshold:
    type: integer
    default: ${m}
    description: How many shares restore the keys (M).

steps:
  - id: welcome
    kind: announce
    title: Purpose of this ceremony
    text: >-
      We restore the keys of a backup bundle into token "\${parameters.targetTokenLabel}". ${m} custodians type their
      shares; nothing is written to the token until the bundle, the token and every share have been checked.
    confirm: { administrator: 1, witnesses: 1 }

  - id: read-bundle
    kind: action
    title: Read and check the bundle
    text: Every wrapped key's hash is checked against the manifest, and the manifest's hash against the backup journal.
    action: restore.read-bundle
    params: { bundle: "\${parameters.bundle}", backupJournal: "\${parameters.backupJournal}", custodians: ${n}, threshold: ${m} }

  - id: show-bundle-hash
    kind: show
    title: Compare the bundle hash with the backup transcript
    text: The witness compares these groups with the bundle hash printed on the backup ceremony's transcript.
    value: "\${steps.read-bundle.result.manifestSha256}"
    format: fingerprint
    confirm: { witnesses: 1 }

  - id: target-status
    kind: action
    title: Identify the target token
    text: The witness compares the serial number on screen with the label on the device.
    device: target
    action: pkcs11.token-status
    params: { ${TOKEN} }

  - id: login-user
    kind: action
    title: The target token's user logs in
    device: target
    action: pkcs11.login
    params: { user: USER, ${TOKEN} }
    inputs:
      from: administrator
      fields:
        - { name: pin, label: User PIN of the target token, type: text, secret: true, minLength: 4 }

  - id: check-target
    kind: action
    title: Check that no label of the bundle is taken on the target
    device: target
    action: restore.check-target
    params: { ${TOKEN}, labels: "\${steps.read-bundle.result.labels}" }
${shareSteps(m)}

  - id: rebuild-kek
    kind: action
    title: Rebuild the KEK and compare its check value
    action: shares.combine
    params: { collectorVaultKey: ${COLLECTOR}, into: ${KEK}, m: ${m} }

  - id: unwrap-keys
    kind: action
    title: Unwrap every key into the target token with its recorded policy
    text: >-
      The manifest is authenticated with the rebuilt KEK; the KEK enters the token as a session key that can only
      unwrap, and is destroyed afterwards. Every restored key is proved to be the original.
    device: target
    action: restore.unwrap-keys
    params:
      ${TOKEN}
      bundle: "\${parameters.bundle}"
      manifestSha256: "\${steps.read-bundle.result.manifestSha256}"
      vaultKey: ${KEK}
    approve: { witnesses: 1 }

  - id: show-restored
    kind: show
    title: The restored keys
    text: The witness compares each public key fingerprint with the backup transcript.
    value: "\${steps.unwrap-keys.result.restored}"
    format: text
    confirm: { witnesses: 1 }

  - id: logout-user
    kind: action
    title: The user logs out
    device: target
    action: pkcs11.logout
    params: { user: USER, ${TOKEN} }

  - id: closing
    kind: confirm
    title: Everyone confirms the restore
    text: Print the transcript; the custodians present and the witness sign it.
    quorum: { administrator: 1, custodians: ${m}, witnesses: 1 }
`;
}

export const scriptText = scriptFor({});

export interface RestoreAnswersOptions {
  parameters?: Record<string, string | number>;
  userPin?: string;
  /** the custodians who come, by index, and what each types (grouped share text) */
  shares?: Array<{ custodian: number; text: string }>;
  /** custodians who check in (default: those who type a share) */
  present?: number[];
}

/** An answers file for a non-interactive rehearsal restore (shares come from the rehearsal share cards). */
export function restoreAnswers(options: RestoreAnswersOptions = {}): string {
  const parameters = { ...options.parameters };
  const { threshold: m } = shapeOf(parameters);
  const shares = options.shares ?? range(m).map((i) => ({ custodian: i, text: `<share of custodian ${i}, from their rehearsal card>` }));
  const present = options.present ?? shares.map((s) => s.custodian);
  const people = ['administrator', ...present.map((i) => `custodian-${i}`), 'witness-1'];
  const checkIns = people
    .map(
      (p) =>
        `  - { participant: ${p}, name: "Rehearsal ${p}", identityCheck: "Badge checked", checkedBy: ${p === 'administrator' ? 'witness-1' : 'administrator'} }`,
    )
    .join('\n');
  const entries = shares.map((s, k) => `  enter-share-${k + 1}:\n    input: { by: custodian-${s.custodian}, values: { share: "${s.text}" } }`).join('\n');
  const params = Object.entries(parameters)
    .map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`)
    .join('\n');
  return `# Answers for a rehearsal restore (secrets: a rehearsal PIN and rehearsal shares; accepted with --rehearsal).
rehearsal: true
parameters:
${params || '  bundle: "<the backup ceremony\'s outputs/<bundle dir>>"'}
checkIns:
${checkIns}
steps:
  welcome:
    confirmations: [administrator, witness-1]
  show-bundle-hash:
    confirmations: [witness-1]
  login-user:
    input: { by: administrator, values: { pin: "${options.userPin ?? '<user PIN of the target token>'}" } }
${entries}
  unwrap-keys:
    confirmations: [witness-1]
  show-restored:
    confirmations: [witness-1]
  closing:
    confirmations: [administrator, ${present.map((i) => `custodian-${i}`).join(', ')}, witness-1]
`;
}

export const answersText = restoreAnswers();

export function answersFor(parameters: Record<string, unknown>): string {
  const given = scalarParameters(parameters, { booleans: false }) as Record<string, string | number>;
  return restoreAnswers({ parameters: given });
}
