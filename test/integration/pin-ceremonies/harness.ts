import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { Ceremony, getTemplate, answersExample, type CeremonyView } from '../../../main/ceremony';
import type { AppContext } from '../../../main/ipc/app-context';
import { servicesOf as cliServices, startAppContext } from '../../fixtures/harness';
import type { Pkcs11Client, TokenDescription } from '../../../main/devices/pkcs11-client';

/**
 * A real Custodian context (device host process, rehearsal SoftHSM2 token store) and a small driver that runs a PIN
 * ceremony the way the room does — check-ins, inputs typed per step, confirmations, reveals shown and acknowledged —
 * keeping what the reveals showed (the shares) so the test can type them back like the custodians would.
 */

const exec = promisify(execFile);
export const SOFTHSM = '/usr/lib/softhsm/libsofthsm2.so';

export const makeContext = startAppContext;

/** The CLI's services with the device judge, and cards printed to the paper list below. */
export function servicesOf(context: AppContext): Record<string, unknown> {
  return cliServices(context, { deviceJudge: context.deviceJudge, sharePrinter: paperPrinter });
}

/**
 * Where share cards go in a real ceremony (a connector URL is a real device): paper, here a list in memory. The
 * cards a rehearsal makes are files in its outputs instead.
 */
export const printedCards: Array<{ ceremonyId: string; index: number; bytes: number }> = [];
const paperPrinter = {
  async printPdf(pdf: Uint8Array, about: { ceremonyId: string; index: number }) {
    printedCards.push({ ceremonyId: about.ceremonyId, index: about.index, bytes: pdf.length });
  },
};

type AnswerSteps = Record<string, { confirmations?: string[]; input?: { by: string; values: Record<string, string | number | boolean> } }>;

export interface Plan {
  /** step id → values typed on it (who types comes from the answers example, or `by`) */
  inputs?: Record<string, { by?: string; values: Record<string, string | number | boolean> }>;
  /** stop before running this step (it stays current) */
  stopBefore?: string;
}

export interface Driven {
  ceremony: Ceremony;
  view: CeremonyView;
  /** reveal step id → the value shown */
  revealed: Record<string, string>;
}

/** Creates the template's ceremony for these parameters in <dataDir>/ceremonies/<name>-n. */
export async function createCeremony(
  context: AppContext,
  dataDir: string,
  name: string,
  parameters: Record<string, string | number | boolean>,
  options: { services?: Record<string, unknown>; extraCustodians?: number[] } = {},
): Promise<{ ceremony: Ceremony; answers: AnswerSteps }> {
  const template = getTemplate(name, parameters)!;
  const answers = parse(answersExample(name, parameters)!) as {
    checkIns: Array<{ participant: string; name: string; identityCheck: string; checkedBy: string }>;
    steps: AnswerSteps;
  };
  const dir = join(dataDir, 'ceremonies', `${name}-${readdirSafe(join(dataDir, 'ceremonies')).length + 1}`);
  // the mode comes from the devices: the rehearsal token and the simulator make a rehearsal, a connector URL a real ceremony
  const ceremony = await Ceremony.create(template.text, parameters, dir, { services: options.services ?? servicesOf(context) });
  for (const c of answers.checkIns)
    await ceremony.checkIn({ participantId: c.participant, name: c.name, identityCheck: c.identityCheck, checkedBy: c.checkedBy });
  for (const i of options.extraCustodians ?? []) {
    await ceremony.checkIn({ participantId: `custodian-${i}`, name: `Custodian ${i}`, identityCheck: 'Staff badge checked', checkedBy: 'administrator' });
  }
  return { ceremony, answers: answers.steps };
}

function readdirSafe(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

/** Runs steps until the ceremony ends, a step fails, or plan.stopBefore is reached. */
export async function drive(ceremony: Ceremony, answers: AnswerSteps, plan: Plan = {}, revealed: Record<string, string> = {}): Promise<Driven> {
  for (let guard = 0; guard < 400; guard++) {
    let view = ceremony.view();
    const current = view.current;
    if (!current || view.status !== 'open' || current.status === 'failed' || current.id === plan.stopBefore) return { ceremony, view, revealed };
    const answer = answers[current.id] ?? {};
    const typed = plan.inputs?.[current.id];
    if (current.status !== 'running') {
      // typed values are entered again after a retry (secret inputs are dropped after every attempt)
      if (current.inputs && (typed || (answer.input && !current.inputs.provided))) {
        const by = typed?.by ?? answer.input?.by ?? current.inputs.eligible[0];
        view = await ceremony.provideInput(current.id, by, typed?.values ?? answer.input!.values).catch((e: { code?: string }) => {
          if (e.code !== 'InputAlreadyProvided') throw e;
          return ceremony.view();
        });
      }
      const pending = (answer.confirmations ?? []).filter((id) => !current.confirmedBy.includes(id));
      if (pending.length) view = await ceremony.confirm(current.id, pending);
      view = await ceremony.runCurrentStep(current.id);
    }
    const after = view.current;
    // a refused try (wrong PIN, mistyped share) waits for its holder to type again: hand back to the test
    if (after && after.id === current.id && (after.rejection?.count ?? 0) > (current.rejection?.count ?? 0)) return { ceremony, view, revealed };
    if (after && after.id === current.id && after.kind === 'reveal' && after.status === 'running') {
      const shown = await ceremony.takeReveal(current.id, after.reveal!.to);
      revealed[current.id] = shown.value;
      await ceremony.acknowledgeReveal(current.id, after.reveal!.to);
    }
  }
  throw new Error('the ceremony did not finish');
}

/** The result journaled for a completed step. */
export function resultOf(view: CeremonyView, stepId: string): Record<string, unknown> {
  const step = view.steps.find((s) => s.id === stepId) as unknown as { result?: Record<string, unknown> } | undefined;
  if (!step?.result) throw new Error(`step ${stepId} has no result`);
  return step.result;
}

export async function pkcs11Tool(conf: string, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await exec('pkcs11-tool', ['--module', SOFTHSM, ...args], { env: { ...process.env, SOFTHSM2_CONF: conf } });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: number };
    return { code: typeof err.code === 'number' ? err.code : 1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

/** Does the user PIN open the token, according to OpenSC (independent of Custodian)? */
export async function userPinWorks(conf: string, label: string, pin: string): Promise<boolean> {
  const r = await pkcs11Tool(conf, ['--token-label', label, '--login', '--pin', pin, '--list-objects']);
  return r.code === 0;
}

/** Does the SO-PIN open the token (OpenSC's --login-type so)? */
export async function soPinWorks(conf: string, label: string, soPin: string): Promise<boolean> {
  const r = await pkcs11Tool(conf, ['--token-label', label, '--login', '--login-type', 'so', '--so-pin', soPin, '--session-rw', '--list-objects']);
  return r.code === 0;
}

/** The SoftHSM2 token folder of a serial (its name ends with the serial's 16 hex digits). */
export function tokenFolder(tokenDir: string, serial: string): string {
  const name = readdirSync(tokenDir).find((d) => d.replace(/-/g, '').endsWith(serial));
  if (!name) throw new Error(`no token folder for serial ${serial}`);
  return join(tokenDir, name);
}

/** "Removes" a SoftHSM2 token: its folder leaves the token store (SoftHSM2 reads every folder in it), and the device host restarts to forget it. */
export async function removeToken(context: AppContext, folder: string): Promise<{ folder: string; away: string }> {
  const away = join(dirname(dirname(folder)), `removed-${basename(folder)}`);
  renameSync(folder, away);
  await restartHost(context);
  return { folder, away };
}

export async function reinsertToken(context: AppContext, removed: { folder: string; away: string }): Promise<void> {
  renameSync(removed.away, removed.folder);
  await restartHost(context);
}

export async function restartHost(context: AppContext): Promise<void> {
  const before = context.deviceHost.getState().restarts;
  context.deviceHost.kill();
  for (let i = 0; i < 200; i++) {
    const state = context.deviceHost.getState();
    if (state.status === 'ready' && state.restarts > before) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the device host did not come back');
}

/** Every file under a folder, for the secret-hygiene greps. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

/** Files under dir whose bytes contain any of the needles (as UTF-8). */
export function filesContaining(dir: string, needles: string[]): Array<{ file: string; needle: string }> {
  const hits: Array<{ file: string; needle: string }> = [];
  for (const file of filesUnder(dir)) {
    const bytes = readFileSync(file);
    for (const needle of needles) if (needle && bytes.includes(Buffer.from(needle))) hits.push({ file, needle: `${needle.slice(0, 4)}…` });
  }
  return hits;
}

export function tokenStoreOf(context: AppContext): string {
  const conf = readFileSync(context.rehearsal!.softhsmConf, 'utf8');
  return /directories\.tokendir\s*=\s*(.+)/.exec(conf)![1].trim();
}

/** The real client, with the token's PIN flags reported as a token at its final try or locked would report them. */
export function reportingFlags(
  real: Pkcs11Client,
  label: string,
  flags: { so?: Partial<TokenDescription['flags']['soPin']>; user?: Partial<TokenDescription['flags']['userPin']> },
): Pkcs11Client {
  return new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'listTokens') {
        return async (module: string) =>
          (await target.listTokens(module)).map((t) =>
            t.label !== label ? t : { ...t, flags: { ...t.flags, soPin: { ...t.flags.soPin, ...flags.so }, userPin: { ...t.flags.userPin, ...flags.user } } },
          );
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
