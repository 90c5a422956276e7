import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureRehearsalToken } from '../../../main/devices/rehearsal';
import { shareFromCardPdf } from '../backup/card-text';
import { runCli } from '../../fixtures/harness';
import { opensslCsr } from '../../fixtures/openssl';
import { tempDir } from '../keygen/harness';

// Every template's answers example, as `custodian template <name> --answers-example` prints it, run in rehearsal to
// its end after the only edit a person makes: typing over each marked placeholder (REPLACE-WITH-… or '<…>') with what
// they have at hand — the rehearsal PINs from <CUSTODIAN_HOME>/rehearsal/rehearsal-pins.json, the shares read off the
// rehearsal share cards an earlier ceremony printed, the paths of an earlier ceremony's outputs, a CSR's fingerprint.
// The ceremonies run in an order that makes each one's prerequisites (one home per chain).

const PLACEHOLDER = /'(REPLACE-WITH-[^']*|<[^']*>)'|"(REPLACE-WITH-[^"]*|<[^"]*>)"/g;

const cli = (home: string, ...args: string[]) => runCli(args, { CUSTODIAN_HOME: home });

/** The marked placeholders of an answers example, each once, as printed between its quotes. */
const placeholdersOf = (example: string) => [...new Set([...example.matchAll(PLACEHOLDER)].map((m) => m[1] ?? m[2]))];

/** The shares printed on a ceremony's rehearsal share cards, by custodian number, read as a custodian reads them. */
function sharesOnCards(ceremony: string): Record<number, string> {
  const outputs = join(ceremony, 'outputs');
  const shares: Record<number, string> = {};
  for (const file of readdirSync(outputs)) {
    const match = /^share-card-.+-(\d+)\.pdf$/.exec(file);
    if (match) shares[Number(match[1])] = shareFromCardPdf(join(outputs, file));
  }
  return shares;
}

/**
 * Runs one template as printed: its script, and its answers example with each marked placeholder typed over by
 * `fill` (a value per placeholder text; every placeholder must have one). Returns the ceremony's output folder.
 */
async function runExample(
  home: string,
  work: string,
  name: string,
  fill: (placeholder: string) => string | undefined,
  params: string[] = [],
  run = name,
): Promise<string> {
  const given = params.flatMap((p) => ['--param', p]);
  const script = await cli(home, 'template', name, ...given);
  expect(script.status, `${name}: ${script.stderr}`).toBe(0);
  const example = await cli(home, 'template', name, ...given, '--answers-example');
  expect(example.status, `${name}: ${example.stderr}`).toBe(0);
  let answers = example.stdout;
  for (const placeholder of placeholdersOf(example.stdout)) {
    const value = fill(placeholder);
    expect(value, `${name}: nothing to type over ${placeholder}`).toBeDefined();
    answers = answers.replaceAll(placeholder, value!);
  }
  const scriptFile = join(work, `${run}.yaml`);
  const answersFile = join(work, `${run}.answers.yaml`);
  writeFileSync(scriptFile, script.stdout);
  writeFileSync(answersFile, answers);
  const out = join(work, run);
  const ran = await cli(home, 'run', scriptFile, '--answers', answersFile, '--rehearsal', '--out', out);
  expect(ran.status, `${run} did not run to its end:\n${ran.stdout}${ran.stderr}`).toBe(0);
  const verify = await cli(home, 'verify', join(out, 'journal.jsonl'));
  expect(verify.status, `${name}: ${verify.stdout}${verify.stderr}`).toBe(0);
  return out;
}

/** The rehearsal PINs the way a person finds them, by what the placeholder asks for. */
function pinFill(pins: { so: string; user: string }) {
  return (p: string): string | undefined => {
    if (/SO-PIN/i.test(p)) return pins.so;
    if (/USER-PIN|user PIN/i.test(p)) return pins.user;
    return undefined;
  };
}

const sha256OfCsrKey = (csr: string) =>
  execFileSync('sh', ['-c', `openssl req -in '${csr}' -pubkey -noout | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r`], {
    encoding: 'utf8',
  }).split(' ')[0];

describe('every template’s answers example runs as printed, after filling only its placeholders', () => {
  it('PKCS#11 rehearsal token: key-generation, inventory, backup, restore, sign-subordinate, sign-crl, key-rotation, key-destruction', async () => {
    const home = await tempDir('examples-p11-home');
    const work = await tempDir('examples-p11-work');
    const { pins } = await ensureRehearsalToken(home);
    const pin = pinFill(pins);
    const keygen = await runExample(home, work, 'key-generation', pin);
    await runExample(home, work, 'inventory', pin);
    // the backup's example says where a key it can back up comes from: key generation with policy backupable
    const backupable = ['policy=backupable', 'label=rehearsal-backupable'];
    await runExample(home, work, 'key-generation', pin, backupable, 'key-generation-backupable');
    const backup = await runExample(home, work, 'backup', (p) => (p.startsWith('<labels') ? 'rehearsal-backupable' : pin(p)));
    const shares = sharesOnCards(backup);
    // into a freshly initialised token (the restore refuses one that holds the labels): a second home's rehearsal token
    const target = await tempDir('examples-p11-restore-home');
    const targetPin = pinFill((await ensureRehearsalToken(target)).pins);
    await runExample(target, work, 'restore', (p) => {
      const share = /^<share of custodian (\d+)/.exec(p);
      if (share) return shares[Number(share[1])];
      if (p.startsWith("<the backup ceremony's outputs"))
        return join(
          backup,
          'outputs',
          readdirSync(join(backup, 'outputs')).find((f) => /bundle/.test(f))!,
        );
      return targetPin(p);
    });
    const csr = opensslCsr('/CN=Rehearsal Issuing CA/O=Custodian Rehearsal', work, 'issuing');
    const rootCertificate = join(keygen, 'outputs', 'rehearsal-root.root-certificate.pem');
    await runExample(home, work, 'sign-subordinate', (p) => {
      if (/FINGERPRINT/.test(p)) return sha256OfCsrKey(csr);
      if (/CSR/i.test(p)) return csr;
      if (/certificate/i.test(p)) return rootCertificate;
      return pin(p);
    });
    await runExample(home, work, 'sign-crl', (p) => (/certificate/i.test(p) ? rootCertificate : pin(p)));
    const rotation = await runExample(home, work, 'key-rotation', pin);
    // the old key's new label, as key-rotation's record shows it (the date of the rotation is in it)
    const retired = /rehearsal-root-retired-\d{4}-\d{2}-\d{2}/.exec(readFileSync(join(rotation, 'journal.jsonl'), 'utf8'))![0];
    await runExample(home, work, 'key-destruction', (p) => (/label of the key to destroy/.test(p) ? retired : pin(p)));
  }, 600_000);

  it('a fresh rehearsal token: dry-run-demo, token-init, user-pin-reset, pin-change', async () => {
    const home = await tempDir('examples-token-home');
    const work = await tempDir('examples-token-work');
    const pin = pinFill((await ensureRehearsalToken(home)).pins);
    for (const name of ['dry-run-demo', 'token-init', 'user-pin-reset', 'pin-change']) await runExample(home, work, name, pin);
  }, 600_000);

  it('the rehearsal YubiHSM simulator: yubihsm-key-generation and yubihsm-inventory on one, yubihsm-setup and yubihsm-auth-rotation on another, yubihsm-restore on a third', async () => {
    const work = await tempDir('examples-yubihsm-work');
    const none = () => undefined;
    // key generation and inventory log in with the factory key, which setup deletes; setup wants a factory device
    const factory = await tempDir('examples-yubihsm-factory-home');
    await runExample(factory, work, 'yubihsm-key-generation', none);
    await runExample(factory, work, 'yubihsm-inventory', none);
    const home = await tempDir('examples-yubihsm-home');
    const setup = await runExample(home, work, 'yubihsm-setup', none);
    await runExample(home, work, 'yubihsm-auth-rotation', none);
    const shares = sharesOnCards(setup);
    const fresh = await tempDir('examples-yubihsm-restore-home');
    await runExample(fresh, work, 'yubihsm-restore', (p) => {
      const share = /^<share of custodian (\d+)/.exec(p);
      if (share) return shares[Number(share[1])];
      if (p.startsWith("<the yubihsm-setup ceremony's outputs")) return join(setup, 'outputs');
      if (p.startsWith("<the yubihsm-setup ceremony's journal")) return join(setup, 'journal.jsonl');
      return undefined;
    });
  }, 600_000);

  it('covers every template the CLI lists', async () => {
    const listed = await cli(await tempDir('examples-list-home'), 'templates');
    const names = listed.stdout
      .split('\n')
      .map((l) => l.split(' ')[0])
      .filter(Boolean)
      .sort();
    expect(names).toEqual([...COVERED].sort());
  });
});

const COVERED = [
  'key-generation',
  'inventory',
  'backup',
  'restore',
  'sign-subordinate',
  'sign-crl',
  'key-rotation',
  'key-destruction',
  'dry-run-demo',
  'token-init',
  'user-pin-reset',
  'pin-change',
  'yubihsm-key-generation',
  'yubihsm-inventory',
  'yubihsm-setup',
  'yubihsm-auth-rotation',
  'yubihsm-restore',
];
