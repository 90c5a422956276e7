// The dry-run demo: every step kind once, no device, no real secret. Teams rehearse the choreography
// with it, and the tests use it to drive the engine end to end.
export const name = 'dry-run-demo';

export const scriptText = `# Dry-run demo ceremony — every step kind, no hardware, rehearsal secrets only.
metadata:
  id: dry-run-demo
  title: Dry-run demo ceremony
  description: Practise check-in, quorums, the privacy screen and printing before a real ceremony.
  rehearsal: true
  version: "1"

roles:
  administrator: {}
  custodians:
    count: 3
    threshold: 2
  witnesses:
    count: 1

parameters:
  dice:
    type: integer
    default: 3
    description: How many dice to roll.

steps:
  - id: welcome
    kind: announce
    title: Welcome
    text: >-
      This is a rehearsal. Nothing made today protects anything real.
      Phones away; the workstation stays offline.

  - id: roll-dice
    kind: action
    title: Roll the dice
    text: The computer rolls \${parameters.dice} dice once both custodians approve.
    action: demo.roll-dice
    params:
      count: \${parameters.dice}
      sides: 6
    approve:
      custodians: 2

  - id: show-roll
    kind: show
    title: Read the total aloud
    text: The administrator reads the total aloud; the witness checks it on screen.
    value: \${steps.roll-dice.result.total}
    format: text
    confirm:
      witnesses: 1

  - id: enter-phrase
    kind: input
    title: Custodian 1 types a phrase
    from: custodian-1
    fields:
      - name: phrase
        label: A phrase to fingerprint
        type: text
        minLength: 1
        maxLength: 200

  - id: hash-phrase
    kind: action
    title: Fingerprint the phrase
    action: demo.hash-text
    params:
      text: \${steps.enter-phrase.inputs.phrase}

  - id: show-fingerprint
    kind: show
    title: Read the fingerprint aloud
    text: Read the fingerprint in groups of four; the witness follows on the screen.
    value: \${steps.hash-phrase.result.fingerprint}
    format: fingerprint

  - id: make-secret
    kind: action
    title: Make a rehearsal secret
    text: Custodian 1 types a rehearsal PIN (never a real one) to practise secret entry.
    action: demo.make-rehearsal-secret
    inputs:
      from: custodian-1
      fields:
        - name: rehearsalPin
          label: Rehearsal PIN
          type: text
          secret: true
          minLength: 4
    approve:
      custodians: 1
      witnesses: 1

  - id: reveal-secret
    kind: reveal
    title: Show the secret to custodian 2 only
    text: Everyone except custodian 2 looks away.
    secret:
      step: make-secret
      key: secret
    to: custodian-2

  - id: quorum-check
    kind: confirm
    title: Everyone confirms what they saw
    quorum:
      custodians: 2
      witnesses: 1

  - id: print-card
    kind: print
    title: Print the demo card
    document: demo-card
    params:
      note: Dice total \${steps.roll-dice.result.total}

  - id: goodbye
    kind: announce
    title: Close the ceremony
    text: The rehearsal is over. Compare the chain head on the screen with the printed one.
`;

export const answersText = `# Answers for a non-interactive rehearsal run: custodian check-ins, confirmations, inputs.
# Contains a rehearsal PIN, so it is accepted only with --rehearsal.
rehearsal: true
checkIns:
  - participant: administrator
    name: Ada Admin
    identityCheck: Passport checked against the roster
    checkedBy: witness-1
  - participant: custodian-1
    name: Carl Custodian
    identityCheck: Driving licence checked
    checkedBy: administrator
  - participant: custodian-2
    name: Cora Custodian
    identityCheck: Staff badge checked
    checkedBy: administrator
  - participant: custodian-3
    name: Cleo Custodian
    identityCheck: Passport checked against the roster
    checkedBy: witness-1
  - participant: witness-1
    name: Wendy Witness
    identityCheck: Passport checked against the roster
    checkedBy: administrator
steps:
  welcome:
    confirmations: [administrator]
  roll-dice:
    confirmations: [custodian-1, custodian-3]
  show-roll:
    confirmations: [witness-1]
  enter-phrase:
    input:
      by: custodian-1
      values:
        phrase: correct horse battery staple
  show-fingerprint:
    confirmations: [witness-1]
  make-secret:
    input:
      by: custodian-1
      values:
        rehearsalPin: "123456"
    confirmations: [custodian-1, witness-1]
  reveal-secret:
    acknowledgedBy: custodian-2
  quorum-check:
    confirmations: [custodian-2, custodian-3, witness-1]
  goodbye:
    confirmations: [administrator]
`;
