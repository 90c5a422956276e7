import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { runScript, type RunScriptResult } from '../../../main/ceremony';
import type { AppContext } from '../../../main/ipc/app-context';
import { openAppContext } from '../../fixtures/harness';
import { verifyJournalFile } from '../../../main/journal';
import { buildStandin, standinFault, standinLauncher, standinServices } from '../../fixtures/pkcs11-standin/build';
import { answers, servicesOf, TEMPLATE_TEXT, tempDir, withCeremony } from './harness';

/**
 * Key generation on the stand-in for yubihsm_pkcs11 (test/fixtures/pkcs11-standin): the rehearsal token store, seen
 * through a module that refuses random bytes and hides every object before login, and holds 2-byte ids.
 */

export interface StandinWorld {
  context: AppContext;
  module: string;
  services: Record<string, unknown>;
}

export async function startStandinWorld(fault?: Parameters<typeof standinFault>[0]): Promise<StandinWorld> {
  const module = await buildStandin();
  const dataDir = await tempDir('standin');
  const faultEnv = fault ? standinFault(fault, join(dataDir, 'fault-fired')) : {};
  const context = await openAppContext(dataDir, { hostNote: 'keygen stand-in test', launcher: standinLauncher(faultEnv) });
  return { context, module, services: standinServices(servicesOf(context), module) };
}

/** A stand-in world for the enclosing describe: started before its tests, closed after them. */
export function standinWorldForSuite(fault?: Parameters<typeof standinFault>[0]): () => StandinWorld {
  let world: StandinWorld | undefined;
  beforeAll(async () => {
    world = await startStandinWorld(fault);
  });
  afterAll(async () => {
    await world?.context.close();
  });
  return () => world!;
}

export function runOnStandin(world: StandinWorld, dir: string, parameters: Record<string, unknown>): Promise<RunScriptResult> {
  // standinServices points the rehearsal setup's module path at the stand-in, so its token is judged a rehearsal
  // device (over the rehearsal store's tokens) and the rehearsal answers carry the PIN
  return runScript(TEMPLATE_TEXT(), answers(parameters, world.context.rehearsal!.pins.user), { dir, rehearsal: true, services: world.services });
}

/** Retries a failed step with the user PIN typed again (the session went with the fault), and runs it. */
export async function retryWithPin(world: StandinWorld, dir: string, stepId: string) {
  return withCeremony(
    world.context,
    dir,
    async (ceremony) => {
      // reopened in a new process: the login the step acts in is made again first (the view's relogin), then the retry
      await ceremony.provideInput(stepId, 'administrator', { pin: world.context.rehearsal!.pins.user });
      await ceremony.retry(stepId, 'the token is back');
      return (await ceremony.runCurrentStep(stepId)).steps.find((s) => s.id === stepId)!;
    },
    world.services.pkcs11,
    world.services,
  );
}

export async function eventsOf(dir: string) {
  const verified = await verifyJournalFile(join(dir, 'journal.jsonl'));
  if (!verified.ok) throw new Error('journal does not verify');
  return verified.events;
}
