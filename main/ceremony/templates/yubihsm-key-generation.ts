import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Key generation on a YubiHSM 2: the script is the plain YAML file beside this one (yubihsm-key-generation.yaml).
// Until the templates loader reads every template from its .yaml file, this small module finds and reads it, when
// first asked, beside the running code or in the source folder.
export const name = 'yubihsm-key-generation';
const FILE = `${name}.yaml`;

/** The factory password of authentication key 1 on a fresh (simulated) YubiHSM 2: public knowledge, rehearsal only. */
export const REHEARSAL_PASSWORD = 'password';

function findScript(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, FILE), join(here, 'templates', FILE), join(process.cwd(), 'main', 'ceremony', 'templates', FILE)];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`The template file ${FILE} is missing (looked in ${candidates.join(', ')}).`);
  return readFileSync(found, 'utf8');
}

let cached: string | undefined;

/** A rehearsal answers file for `custodian run`: check-ins, the witness's confirmations, the session password. */
export function answersFor(parameters: Record<string, unknown> = {}, password = REHEARSAL_PASSWORD): string {
  const lines = Object.entries(parameters).map(([key, value]) => `  ${key}: ${JSON.stringify(value)}`);
  const witness = ['confirm-token', 'confirm-plan', 'generate', 'show-attributes', 'show-fingerprint', 'show-attestation', 'show-certificate'];
  return `# Answers for a rehearsal of yubihsm-key-generation with \`custodian run --rehearsal\`, on the simulator in its
# factory state (authentication key 1, password "password"). Holds that password, so it is accepted only with --rehearsal.
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
  login:
    input:
      by: administrator
      values:
        password: ${JSON.stringify(password)}
${witness.map((id) => `  ${id}:\n    confirmations: [witness-1]`).join('\n')}
  export:
    confirmations: [administrator]
  close:
    confirmations: [administrator]
`;
}

export const yubihsmKeyGeneration = {
  name,
  get scriptText(): string {
    return (cached ??= findScript());
  },
  answersText: answersFor({
    algorithm: 'EC-P256',
    label: 'rehearsal-root',
    subject: 'CN=Custodian Rehearsal Root CA, O=Custodian Rehearsal',
    validityYears: 20,
    csr: true,
    selfSigned: true,
  }),
  answersFor: (parameters: Record<string, unknown>) => answersFor(parameters),
};
