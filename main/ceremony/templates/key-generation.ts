// Key generation: a key made inside the HSM, read back against the promised policy, its public key exported and
// fingerprinted for the witness, and for a root key a CSR and/or a self-signed certificate signed inside the HSM.
// The steps read top to bottom as the administrator reads them aloud. Every keygen step parses the same request
// from its params, so the preflight, the generation, the read-back and the certificate hold the key to one promise.
export const name = 'key-generation';

/** The placeholder a rehearsal answers file carries where the rehearsal user PIN goes (shown on the Home screen). */
export const USER_PIN_PLACEHOLDER = 'REPLACE-WITH-THE-REHEARSAL-USER-PIN';

const token = `
      token:
        serial: \${parameters.tokenSerial}
        label: \${parameters.tokenLabel}`;

/** The key request every keygen step checks; `id` is the one the preflight fixed (given, or from the token's RNG). */
const request = (id: string) => `${token}
      algorithm: \${parameters.algorithm}
      policy: \${parameters.policy}
      label: \${parameters.label}
      id: ${id}
      subject: \${parameters.subject}
      validityYears: \${parameters.validityYears}
      csr: \${parameters.csr}
      selfSigned: \${parameters.selfSigned}`;

/** After a token removal the session is gone: the retry of a step asks for the PIN again through this field. */
const pinForRetry = `
    inputs:
      from: administrator
      fields:
        - name: pin
          label: User PIN — only when retrying after the token was removed or the device host restarted
          type: text
          secret: true
          optional: true
        - name: confirmFinalTry
          label: Spend the final PIN try (true only when the token says FINAL TRY)
          type: boolean
          optional: true`;

export const scriptText = `# Key generation ceremony — one key made inside the HSM, witnessed, verified and printed.
metadata:
  id: key-generation
  title: Key generation
  description: Generate a key inside the HSM, read it back against its policy, export the public key with its fingerprint, and for a root key make a CSR and/or a self-signed certificate signed inside the HSM.
  version: "1"

roles:
  administrator: {}
  witnesses:
    count: 1

devices:
  - id: hsm
    type: pkcs11
    description: The HSM that will hold the key. In rehearsal, SoftHSM2; on the day, the vendor's module.
    module: default
    token:
      label: Custodian Rehearsal

parameters:
  tokenLabel:
    type: string
    default: Custodian Rehearsal
    description: Token label
  tokenSerial:
    type: string
    default: ""
    description: Token serial number (optional; when given it is used instead of the label)
  algorithm:
    type: choice
    choices: [RSA-2048, RSA-3072, RSA-4096, EC-P256, EC-P384, EC-P521, Ed25519, AES-128, AES-256]
    default: EC-P384
    description: Key algorithm (Ed25519 where the module offers it; AES makes a secret key)
  policy:
    type: choice
    choices: [signing, backupable]
    default: signing
    description: Key policy (signing = never extractable; backupable = extractable only wrapped under a trusted key)
  label:
    type: string
    default: root-key
    description: Key label
  id:
    type: string
    default: ""
    description: Key id in hex (optional; empty = 8 random bytes from the token)
  subject:
    type: string
    default: ""
    description: Subject DN for the CSR and certificate, e.g. CN=Example Root CA, O=Example, C=NL
  validityYears:
    type: integer
    default: 20
    description: Root certificate validity in years (at most 25)
  csr:
    type: boolean
    default: false
    description: Make a certificate signing request (CSR)
  selfSigned:
    type: boolean
    default: false
    description: Make a self-signed root certificate

steps:
  - id: welcome
    kind: announce
    title: Opening
    text: >-
      We will generate the key “\${parameters.label}” (\${parameters.algorithm}, policy \${parameters.policy}) on the
      token “\${parameters.tokenLabel}”. Phones away; the workstation stays offline. The witness follows every step on
      the screen, compares what is read aloud, and signs the printed transcript at the end.

  - id: token-status
    kind: action
    title: Identify the token
    text: Custodian reads the token's manufacturer, model, serial number and PIN counters. Nothing is changed.
    action: pkcs11.token-status
    device: hsm
    params:${token}

  - id: confirm-token
    kind: show
    title: The witness compares the token with its label
    text: >-
      The administrator reads the serial number aloud; the witness compares it with the label on the device and
      the tamper-evident bag, then confirms.
    value: |-
      Token label:    \${steps.token-status.result.label}
      Manufacturer:   \${steps.token-status.result.manufacturer}
      Model:          \${steps.token-status.result.model}
      Serial number:  \${steps.token-status.result.serial}
      User PIN:       \${steps.token-status.result.userPinStatus}
    format: text
    confirm:
      witnesses: 1

  - id: preflight
    kind: action
    title: Check everything before anything is made
    text: >-
      Custodian checks the request, the token's mechanisms and key sizes, and that no object on the token already
      uses the label or id. A problem stops the ceremony here, before anything is generated.
    action: keygen.preflight
    device: hsm
    params:${request('${parameters.id}')}

  - id: confirm-plan
    kind: show
    title: The witness confirms what will be made
    text: The administrator reads the plan aloud; the witness checks it against the ceremony script on paper.
    value: \${steps.preflight.result.plan}
    format: text
    confirm:
      witnesses: 1

  - id: login
    kind: action
    title: Log in with the user PIN
    text: >-
      PIN counters: \${steps.token-status.result.userPinStatus} The holder of the user PIN types it; everyone else looks
      away. If the token says FINAL TRY, the login is refused unless "Spend the final PIN try" is true.
    action: pkcs11.login
    device: hsm
    params:${token}
      user: USER
    inputs:
      from: administrator
      fields:
        - name: pin
          label: User PIN
          type: text
          secret: true
          minLength: 4
        - name: confirmFinalTry
          label: Spend the final PIN try (true only when the token says FINAL TRY)
          type: boolean
          optional: true

  - id: generate
    kind: action
    title: Generate the key inside the HSM
    text: >-
      The witness approves; the HSM generates the key. Custodian reads it back at once and destroys it if any
      attribute differs from the policy. A retry after a fault first looks for a key the failed attempt made.
    action: keygen.generate
    device: hsm
    params:${request('${steps.preflight.result.id}')}${pinForRetry}
    approve:
      witnesses: 1

  - id: read-back
    kind: action
    title: Read the key back and export the public key
    text: >-
      Custodian reads every promised attribute back from the token, checks the policy again, and writes the public
      key (PEM) to the ceremony's outputs.
    action: keygen.read-back
    device: hsm
    params:${request('${steps.preflight.result.id}')}
      expectedPublicKeySha256: \${steps.generate.result.publicKeySha256}${pinForRetry}

  - id: show-attributes
    kind: show
    title: The witness checks the key's attributes
    text: The administrator reads each attribute aloud; the witness checks it against the policy in the plan.
    value: \${steps.read-back.result.attributesText}
    format: text
    confirm:
      witnesses: 1

  - id: show-fingerprint
    kind: show
    title: Read the public key fingerprint aloud
    text: >-
      The administrator reads the SHA-256 fingerprint in groups of four, then the words; the witness follows on the
      screen and reads the last four words back. The same fingerprint is printed in the transcript.
    value: \${steps.read-back.result.fingerprint}
    format: fingerprint
    confirm:
      witnesses: 1

  - id: certify
    kind: action
    title: Sign the CSR and/or the root certificate inside the HSM
    text: >-
      For a root key, the HSM signs the certificate signing request and/or the self-signed root certificate.
      Custodian verifies each signature before writing it to the outputs.
    action: keygen.certify
    device: hsm
    params:${request('${steps.preflight.result.id}')}
      expectedPublicKeySha256: \${steps.read-back.result.publicKeySha256}${pinForRetry}

  - id: show-certificate
    kind: show
    title: The witness checks the CSR and certificate
    text: The administrator reads the subject, serial number, validity and certificate fingerprint aloud.
    value: \${steps.certify.result.summary}
    format: text
    confirm:
      witnesses: 1

  - id: logout
    kind: action
    title: Log out of the token
    action: pkcs11.logout
    device: hsm
    params:${token}
      user: USER

  - id: export
    kind: announce
    title: Copy the outputs to removable media
    text: >-
      When the ceremony is complete, the administrator uses "Export outputs" in the transcript panel to copy the
      public key, CSR, certificate and journal to removable media (a save dialog in the app; a chosen folder in the
      browser host). Nothing there is overwritten. The witness watches the copy.

  - id: close
    kind: announce
    title: Print and sign the transcript
    text: >-
      Print the transcript. The administrator reads the chain head aloud; the witness compares it with the screen and
      the key fingerprint with the one read earlier, then both sign every page.
`;

export interface KeygenAnswerOptions {
  /** ceremony parameters (algorithm, label, subject, csr, selfSigned...) */
  parameters?: Record<string, unknown>;
  /** the rehearsal user PIN; the placeholder stays when not given */
  userPin?: string;
}

/** A rehearsal answers file for `custodian run`: check-ins, the witness's confirmations, the PIN for the login. */
export function answersFor(parameters: Record<string, unknown> = {}, userPin = USER_PIN_PLACEHOLDER): string {
  const lines = Object.entries(parameters).map(([key, value]) => `  ${key}: ${JSON.stringify(value)}`);
  return `# Answers for a rehearsal of the key-generation ceremony with \`custodian run --rehearsal\`.
# Holds the rehearsal user PIN (shown on the Home screen and in <data>/rehearsal/rehearsal-pins.json), so it is
# accepted only with --rehearsal. Replace ${USER_PIN_PLACEHOLDER} with it.
rehearsal: true
parameters:
${lines.length ? lines.join('\n') : '  {}'}
checkIns:
  - participant: administrator
    name: Ada Admin
    identityCheck: Passport checked against the roster
    checkedBy: witness-1
  - participant: witness-1
    name: Wendy Witness
    identityCheck: Passport checked against the roster
    checkedBy: administrator
steps:
  welcome:
    confirmations: [administrator]
  confirm-token:
    confirmations: [witness-1]
  confirm-plan:
    confirmations: [witness-1]
  login:
    input:
      by: administrator
      values:
        pin: ${JSON.stringify(userPin)}
  generate:
    confirmations: [witness-1]
  show-attributes:
    confirmations: [witness-1]
  show-fingerprint:
    confirmations: [witness-1]
  show-certificate:
    confirmations: [witness-1]
  export:
    confirmations: [administrator]
  close:
    confirmations: [administrator]
`;
}

export const answersText = answersFor({
  algorithm: 'EC-P384',
  label: 'rehearsal-root',
  subject: 'CN=Custodian Rehearsal Root CA, O=Custodian Rehearsal',
  validityYears: 20,
  csr: true,
  selfSigned: true,
});
