import { scalarParameters } from './parameters';
// Split-knowledge backup: keys that are extractable only by wrapping leave the token wrapped under a fresh KEK, the
// KEK is split among the custodians (any M of N rebuild it), and the shares are typed back before the ceremony
// closes. The script is generated for N and M (one reveal and one card step per custodian, one rehearsal step per
// share needed); everything else comes from the parameters.
export const name = 'backup';

export interface BackupShape {
  custodians: number;
  threshold: number;
}

const DEFAULT_SHAPE: BackupShape = { custodians: 5, threshold: 3 };

function integerOf(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isSafeInteger(n) ? n : fallback;
}

/** N and M from the parameters (the form gives text or numbers), bounded as the share format allows. */
export function shapeOf(parameters: Record<string, unknown>): BackupShape {
  const custodians = Math.min(16, Math.max(2, integerOf(parameters.custodians, DEFAULT_SHAPE.custodians)));
  const threshold = Math.min(custodians, Math.max(2, integerOf(parameters.threshold, DEFAULT_SHAPE.threshold)));
  return { custodians, threshold };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const TOKEN = `token: { label: "\${parameters.tokenLabel}" }`;
const KEK = 'backup.kek';
const REHEARSAL_COLLECTOR = 'backup.rehearsal-collector';

function custodianSteps(n: number): string {
  return range(n)
    .map(
      (i) => `
  - id: reveal-share-${i}
    kind: reveal
    title: Custodian ${i} only — others look away
    text: >-
      Everyone except custodian ${i} turns away from the screen. Custodian ${i} copies nothing: the card printed next
      carries the share. Custodian ${i} checks that the card matches the screen, then confirms.
    secret: { step: split-kek, key: share-${i} }
    to: custodian-${i}

  - id: print-card-${i}
    kind: action
    title: Print custodian ${i}'s share card
    text: The card comes out of the printer face down; custodian ${i} takes it and seals it in their envelope.
    action: shares.print-card
    params: { vaultKey: ${KEK}, index: ${i}, custodian: custodian-${i} }
    approve: { participants: [custodian-${i}] }`,
    )
    .join('\n');
}

function rehearsalSteps(m: number): string {
  return range(m)
    .map(
      (k) => `
  - id: rehearse-share-${k}
    kind: action
    title: Restore rehearsal — share ${k} of ${m} typed back
    text: >-
      A custodian types their share from their card, group by group. It is checked at once (checksum, set id,
      commitment) and never shown.
    action: shares.accept
    params:
      collectorVaultKey: ${REHEARSAL_COLLECTOR}
      shareSet: "\${steps.split-kek.result.shareSet}"
      expectedFrom: this backup
      rehearsalCopyOf: ${KEK}
      custodianIndex: ${k}
    inputs:
      from: custodians
      fields:
        - { name: share, label: Your share as printed on your card, type: text, secret: true, journal: commitment, maxLength: 200, optional: true }`,
    )
    .join('\n');
}

export function scriptFor(parameters: Record<string, unknown>): string {
  const { custodians: n, threshold: m } = shapeOf(parameters);
  return `# Split-knowledge backup: keys wrapped under a KEK that ${n} custodians share (any ${m} restore).
metadata:
  id: backup
  title: Split-knowledge key backup
  description: Wrap keys that are extractable only by wrapping under a fresh KEK, split the KEK ${m}-of-${n} among the custodians, and rehearse the restore.
  version: "1"

roles:
  administrator: {}
  custodians:
    count: ${n}
    threshold: ${m}
    attendance: all
  witnesses:
    count: 1

devices:
  - id: hsm
    type: pkcs11
    description: The token that holds the keys to back up (the tokenLabel parameter chooses it)
    module: default
    token: { label: Custodian Rehearsal }

parameters:
  tokenLabel:
    type: string
    default: Custodian Rehearsal
    description: Label of the token that holds the keys.
  keys:
    type: string
    default: ""
    description: Labels of the keys to back up, separated by commas.
  custodians:
    type: integer
    default: ${n}
    description: How many custodians receive a share (N).
  threshold:
    type: integer
    default: ${m}
    description: How many shares restore the keys (M).

steps:
  - id: welcome
    kind: announce
    title: Purpose of this ceremony
    text: >-
      We back up the keys "\${parameters.keys}" of token "\${parameters.tokenLabel}". A fresh key-encryption key (KEK)
      wraps them; it is split into ${n} shares, one per custodian, and any ${m} of them restore the keys. No one sees
      the KEK, and it is destroyed on the token before the shares are handed out.
    confirm: { administrator: 1, witnesses: 1 }

  - id: token-status
    kind: action
    title: Identify the token
    text: The witness compares the serial number on screen with the label on the device.
    action: pkcs11.token-status
    device: hsm
    params: { ${TOKEN} }

  - id: login-user
    kind: action
    title: The key owner logs in
    device: hsm
    action: pkcs11.login
    params: { user: USER, ${TOKEN} }
    inputs:
      from: administrator
      fields:
        - { name: pin, label: User PIN, type: text, secret: true, minLength: 4 }

  - id: check-keys
    kind: action
    title: Check that every key can be backed up
    text: Each key must be extractable only by wrapping under a trusted key; any other key is named with the reason.
    device: hsm
    action: backup.check-keys
    params: { ${TOKEN}, keys: "\${parameters.keys}" }

  - id: logout-user
    kind: action
    title: The key owner logs out
    device: hsm
    action: pkcs11.logout
    params: { user: USER, ${TOKEN} }

  - id: login-so
    kind: action
    title: The Security Officer logs in (dual control)
    text: Only the Security Officer can mark the KEK as a trusted wrapping key.
    device: hsm
    action: pkcs11.login
    params: { user: SO, ${TOKEN} }
    inputs:
      from: custodians
      fields:
        - { name: pin, label: SO-PIN, type: text, secret: true, minLength: 4 }

  - id: make-kek
    kind: action
    title: Make the key-encryption key
    text: The token's random generator makes a 256-bit KEK; it enters the token as a trusted wrapping key for this backup only.
    device: hsm
    action: backup.make-kek
    params: { ${TOKEN}, vaultKey: ${KEK} }
    approve: { witnesses: 1 }

  - id: logout-so
    kind: action
    title: The Security Officer logs out
    device: hsm
    action: pkcs11.logout
    params: { user: SO, ${TOKEN} }

  - id: split-kek
    kind: action
    title: Split the KEK into ${n} shares
    text: Any ${m} of the ${n} shares rebuild the KEK. The set id, check value and a commitment to each share go into the journal.
    action: shares.split
    params: { vaultKey: ${KEK}, n: ${n}, m: ${m} }

  - id: login-user-wrap
    kind: action
    title: The key owner logs in again
    device: hsm
    action: pkcs11.login
    params: { user: USER, ${TOKEN} }
    inputs:
      from: administrator
      fields:
        - { name: pin, label: User PIN, type: text, secret: true, minLength: 4 }

  - id: wrap-keys
    kind: action
    title: Wrap the keys, destroy the KEK on the token, write the bundle
    text: Each key is wrapped with CKM_AES_KEY_WRAP_PAD; the KEK is destroyed on the token; the bundle's hash goes into the journal.
    device: hsm
    action: backup.wrap-keys
    params:
      ${TOKEN}
      keys: "\${parameters.keys}"
      kekLabel: "\${steps.make-kek.result.kekLabel}"
      vaultKey: ${KEK}
      shareSet: "\${steps.split-kek.result.shareSet}"
    approve: { witnesses: 1 }

  - id: logout-user-wrap
    kind: action
    title: The key owner logs out
    device: hsm
    action: pkcs11.logout
    params: { user: USER, ${TOKEN} }

  - id: show-bundle-hash
    kind: show
    title: Read the bundle hash aloud
    text: The witness writes the first and last groups on the transcript; the restore checks the bundle against it.
    value: "\${steps.wrap-keys.result.manifestSha256}"
    format: fingerprint
    confirm: { witnesses: 1 }
${custodianSteps(n)}

  - id: rehearsal-intro
    kind: announce
    title: Restore rehearsal
    text: >-
      ${m} custodians now type their shares back from their cards. The KEK is rebuilt in memory and compared with the
      original; nothing is unwrapped into the token.

${rehearsalSteps(m)}

  - id: rehearse-rebuild
    kind: action
    title: Rebuild the KEK from the shares typed back and compare
    action: shares.combine
    params: { collectorVaultKey: ${REHEARSAL_COLLECTOR}, compareWith: ${KEK} }

  - id: forget-kek
    kind: action
    title: Zero the KEK in memory
    action: shares.forget
    params: { vaultKeys: [${KEK}] }

  - id: closing
    kind: confirm
    title: Everyone confirms the backup
    text: Print the transcript; every custodian and the witness sign it. The bundle folder is copied to the backup media.
    quorum: { administrator: 1, custodians: ${n}, witnesses: 1 }
`;
}

export const scriptText = scriptFor({});

export interface BackupAnswersOptions {
  parameters?: Record<string, string | number>;
  pins?: { so: string; user: string };
  /** shares typed back at the rehearsal (grouped text), by rehearsal position; absent in a CLI rehearsal (read back from memory) */
  typedShares?: string[];
}

/** An answers file for a non-interactive rehearsal run of the backup. */
export function backupAnswers(options: BackupAnswersOptions = {}): string {
  const parameters = { ...options.parameters };
  const { custodians: n, threshold: m } = shapeOf(parameters);
  const pins = options.pins ?? { so: '<SO-PIN of the rehearsal token: rehearsal/rehearsal-pins.json>', user: '<user PIN: rehearsal/rehearsal-pins.json>' };
  const people = ['administrator', ...range(n).map((i) => `custodian-${i}`), 'witness-1'];
  const checkIns = people
    .map(
      (p) =>
        `  - { participant: ${p}, name: "Rehearsal ${p}", identityCheck: "Badge checked", checkedBy: ${p === 'administrator' ? 'witness-1' : 'administrator'} }`,
    )
    .join('\n');
  const cards = range(n)
    .map((i) => `  print-card-${i}:\n    confirmations: [custodian-${i}]`)
    .join('\n');
  const rehearsal = range(m)
    .map((k) => {
      const typed = options.typedShares?.[k - 1];
      return typed ? `  rehearse-share-${k}:\n    input: { by: custodian-${k}, values: { share: "${typed}" } }` : null;
    })
    .filter(Boolean)
    .join('\n');
  const params = Object.entries(parameters)
    .map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`)
    .join('\n');
  return `# Answers for a rehearsal run of the backup (secrets: rehearsal PINs only; accepted with --rehearsal).
rehearsal: true
parameters:
${params || '  keys: "<labels, comma-separated>"'}
checkIns:
${checkIns}
steps:
  welcome:
    confirmations: [administrator, witness-1]
  login-user:
    input: { by: administrator, values: { pin: "${pins.user}" } }
  login-so:
    input: { by: custodian-1, values: { pin: "${pins.so}" } }
  make-kek:
    confirmations: [witness-1]
  login-user-wrap:
    input: { by: administrator, values: { pin: "${pins.user}" } }
  wrap-keys:
    confirmations: [witness-1]
  show-bundle-hash:
    confirmations: [witness-1]
${cards}
  rehearsal-intro:
    confirmations: [administrator]
${rehearsal}
  closing:
    confirmations: [administrator, ${range(n)
      .map((i) => `custodian-${i}`)
      .join(', ')}, witness-1]
`;
}

export const answersText = backupAnswers();

export function answersFor(parameters: Record<string, unknown>): string {
  const given = scalarParameters(parameters, { booleans: false }) as Record<string, string | number>;
  return backupAnswers({ parameters: given });
}
