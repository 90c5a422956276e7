import { answersExample, Ceremony, getTemplate, runScript, type RunScriptResult } from '../../../main/ceremony';
import type { AppContext } from '../../../main/ipc/app-context';
import type { HostLauncher } from '../../../main/devices/host-client';
import { runTool, servicesOf as cliServices, startAppContext, tempHome } from '../../fixtures/harness';

/** A real app context on a fresh rehearsal SoftHSM2 token, and the ways the key-generation tests drive and check it. */

/** Another program, awaited: { stdout, stderr, code } (the harness's runTool). */
export const run = runTool;

export async function tempDir(prefix: string): Promise<string> {
  return tempHome(`keygen-${prefix}`);
}

export async function startContext(launcher?: (env: NodeJS.ProcessEnv) => HostLauncher): Promise<AppContext> {
  return (await startAppContext('keygen-data', launcher, 'keygen test')).context;
}

/** The services the CLI gives a ceremony, optionally with a different PKCS#11 client. */
export function servicesOf(context: AppContext, pkcs11: unknown = context.pkcs11): Record<string, unknown> {
  return cliServices(context, { pkcs11 });
}

export const TEMPLATE_TEXT = (): string => getTemplate('key-generation')!.text;

/** The template's rehearsal answers for these parameters, with a PIN in place of the placeholder. */
export function answers(parameters: Record<string, unknown>, pin: string): string {
  return answersExample('key-generation', parameters, { userPin: pin })!;
}

export async function runKeygen(
  context: AppContext,
  dir: string,
  parameters: Record<string, unknown>,
  options: { pin?: string; pkcs11?: unknown } = {},
): Promise<RunScriptResult> {
  return runScript(TEMPLATE_TEXT(), answers(parameters, options.pin ?? context.rehearsal!.pins.user), {
    dir,
    rehearsal: true,
    services: servicesOf(context, options.pkcs11),
  });
}

/** Opens a stopped ceremony to act on a failed step by hand (retry, type a PIN), then lets go of it again. */
export async function withCeremony<T>(
  context: AppContext,
  dir: string,
  fn: (ceremony: Ceremony) => Promise<T>,
  pkcs11?: unknown,
  services: Record<string, unknown> = servicesOf(context, pkcs11),
): Promise<T> {
  const ceremony = await Ceremony.open(dir, { services, rehearsal: true });
  try {
    return await fn(ceremony);
  } finally {
    await ceremony.release();
  }
}

/** OpenSC's view of the rehearsal token's objects (logged in, so private objects are listed too). */
export async function listObjects(context: AppContext): Promise<string> {
  const r = await run(
    'pkcs11-tool',
    [
      '--module',
      context.rehearsal!.modulePath,
      '--token-label',
      context.rehearsal!.tokenLabel,
      '--login',
      '--pin',
      context.rehearsal!.pins.user,
      '--list-objects',
    ],
    {
      SOFTHSM2_CONF: context.rehearsal!.softhsmConf,
    },
  );
  if (r.code !== 0) throw new Error(`pkcs11-tool failed: ${r.stderr}`);
  return r.stdout;
}

/** The blocks pkcs11-tool prints for objects with this label. */
export function objectBlocks(listing: string, label: string): string[] {
  return listing.split(/\n(?=\S)/).filter((block) => new RegExp(`label:\\s+${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`, 'm').test(block));
}

/** SHA-256 of the DER SubjectPublicKeyInfo, computed by openssl alone: `openssl pkey -pubin -outform DER | sha256`. */
export async function opensslFingerprint(publicKeyPem: string): Promise<string> {
  const r = await run('sh', ['-c', `openssl pkey -pubin -in '${publicKeyPem}' -outform DER | openssl dgst -sha256 -r`]);
  if (r.code !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  return r.stdout.split(' ')[0].trim();
}

export async function opensslVerifiesRoot(certificatePem: string): Promise<boolean> {
  const r = await run('openssl', ['verify', '-CAfile', certificatePem, '-check_ss_sig', certificatePem]);
  return r.code === 0 && r.stdout.includes(': OK');
}

export async function opensslVerifiesCsr(csrPem: string): Promise<boolean> {
  const r = await run('openssl', ['req', '-in', csrPem, '-verify', '-noout']);
  return r.code === 0 && /verify OK/.test(r.stdout + r.stderr);
}
