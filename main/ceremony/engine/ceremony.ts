import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Journal, JournalError, JournalErrorCode, type JsonValue } from '../../journal';
import { defaultActionRegistry, SecretVault, type JsonObject } from '../actions';
import { CeremonyError, CeremonyErrorCode, reasonOf } from '../../errors';
import { parseScript, resolveReferences, type ParsedScript, type Step } from '../script';
import { blockersOf } from './blockers';
import { checkInEventData, newCeremonyId, requireReason, type CheckInRequest } from './check-in';
import { decideMode } from './devices';
import { requireAirGap } from './air-gap';
import { CeremonyEventType } from './events';
import { acceptInput, makeLoginAgain, type InputHost } from './input-commands';
import type { RawInputValue } from './inputs';
import { referenceSource } from './lookup';
import { resolveParameters } from './parameters';
import { mayConfirm, requiredQuorum } from './quorum';
import { replayJournalEvents } from './replay';
import { retryableByDefault, type ActionStepHost } from './run-action';
import { executeStep } from './step-kinds';
import { displayForm, SecretStore } from './secrets';
import { lostLoginOf } from './sessions';
import { applyEvent, initialState, runningSteps, type CeremonyState } from './state';
import { buildView, type CeremonyView } from './view';

export const JOURNAL_FILE = 'journal.jsonl';
export type { CheckInRequest } from './check-in';
export type { RevealedSecret } from './secrets';
import type { RevealedSecret } from './secrets';
export { OUTPUTS_DIR } from './outputs';
import { OUTPUTS_DIR } from './outputs';

export type { EngineOptions } from './options';
import type { EngineOptions } from './options';

/**
 * One ceremony: commands in, journal events out. Each command checks the state, appends its event
 * (fsync'ed) and applies it to the state with the same reducer a restart replays — so the state in memory
 * is never ahead of the journal. Commands run one at a time.
 */
export class Ceremony {
  private readonly secrets = new SecretStore();
  private queue: Promise<unknown> = Promise.resolve();
  /** per step, a salted digest of the input last accepted (memory only): the same input again is not a new event */
  private readonly lastInput = new Map<string, string>();
  private readonly inputSalt = randomBytes(32);
  /** the running step's last progress report (memory only; shown while that step runs) */
  private progress: { stepId: string; done: number; total: number; what: string } | null = null;

  private constructor(
    readonly dir: string,
    private readonly journal: Journal,
    private readonly state: CeremonyState,
    private readonly parsed: ParsedScript,
    private readonly options: EngineOptions,
  ) {
    // the journal refuses any event holding a secret this ceremony holds at that moment, in any usual encoding
    journal.guardSecretValues(() => this.heldSecretValues());
  }

  private *heldSecretValues(): Generator<Uint8Array | string> {
    yield* this.secrets.values();
    const vault = this.options.services?.vault;
    if (vault instanceof SecretVault) yield* vault.secretValuesOf(this.state.ceremonyId);
  }

  static async create(script: ParsedScript | string, params: Record<string, JsonValue>, dir: string, options: EngineOptions = {}): Promise<Ceremony> {
    const registry = options.actions ?? defaultActionRegistry;
    const knownActions = (name: string) => registry.has(name);
    const parsed = parseScript(typeof script === 'string' ? script : script.text, { knownActions });
    const parameters = resolveParameters(parsed.script, params);
    // Judged before anything is written: the mode (a mix, or a real device in a rehearsal-only script, is refused, naming it), then the air gap.
    const { mode, devices } = await decideMode(
      parsed.script.steps,
      { devices: parsed.script.devices, parameters: parameters as JsonObject, services: options.services ?? {} },
      parsed.script.metadata.rehearsal || options.rehearsal === true,
    );
    requireAirGap(mode, parsed.script.metadata.network);
    const rehearsal = mode === 'rehearsal';
    await mkdir(join(dir, OUTPUTS_DIR), { recursive: true, mode: 0o700 });
    const ceremonyId = options.ceremonyId ?? newCeremonyId(parsed.script.metadata.id, (options.clock ?? (() => new Date()))());
    const created = { ceremonyId, title: parsed.script.metadata.title, rehearsal, scriptText: parsed.text, scriptSha256: parsed.sha256, parameters, devices };
    let journal: Journal;
    try {
      journal = await Journal.create(join(dir, JOURNAL_FILE), {
        scriptSha256: parsed.sha256,
        appVersion: options.appVersion ?? 'unknown',
        devices: options.devicesPresent ?? [],
        extra: { ceremonyId, title: created.title, rehearsal, mode, ceremonyDevices: devices as unknown as JsonValue, scriptText: parsed.text, parameters },
        clock: options.clock,
        onAppended: options.onAppended,
      });
    } catch (error) {
      if (error instanceof JournalError && error.code === JournalErrorCode.AlreadyExists) {
        throw new CeremonyError(CeremonyErrorCode.AlreadyExists, `A ceremony already exists in ${dir}.`);
      }
      throw error;
    }
    const state = initialState(created, parsed.script);
    for (const event of journal.events) applyEvent(state, event);
    return new Ceremony(dir, journal, state, parsed, options);
  }

  /**
   * Reopens a ceremony after the app stopped, however it stopped: the state is rebuilt purely from the journal; torn bytes are recorded; a step that had started and not finished is recorded as interrupted.
   */
  static async open(dir: string, options: EngineOptions = {}): Promise<Ceremony> {
    const { journal } = await Journal.open(join(dir, JOURNAL_FILE), { clock: options.clock, onAppended: options.onAppended, allowClosed: true });
    const { state, parsed } = replayJournalEvents(journal.events, options.actions ?? defaultActionRegistry);
    const ceremony = new Ceremony(dir, journal, state, parsed, options);
    // A closed ceremony (completed or aborted) opens read-only: to be viewed and printed, nothing added.
    if (journal.isClosed) return ceremony;
    // Stopped after the ceremony ended but before its journal was closed: close it now, adding nothing else.
    if (state.status === 'completed' || state.status === 'aborted') {
      await journal.close({ outcome: state.status, ceremonyId: state.ceremonyId });
      return ceremony;
    }
    await ceremony.record(CeremonyEventType.Reopened, { atStep: state.steps[state.currentIndex]?.id ?? null });
    for (const step of runningSteps(state)) {
      await ceremony.record(CeremonyEventType.StepInterrupted, {
        stepId: step.id,
        attempt: step.attempts,
        reason: 'the application stopped before the step finished',
      });
    }
    // stopped after the last step completed but before the ceremony was closed: close it now
    if (state.status === 'open' && state.currentIndex >= state.steps.length) await ceremony.finishCompleted();
    return ceremony;
  }

  get id(): string {
    return this.state.ceremonyId;
  }

  get journalPath(): string {
    return this.journal.path;
  }

  /** how many secrets are in memory right now (0 after every reveal is acknowledged) */
  get secretsHeld(): number {
    return this.secrets.size;
  }

  /** the id of the login step a restart took away and the current step needs, if any (its answers make it again) */
  loginToMakeAgain(): string | undefined {
    return lostLoginOf(this.state)?.loginStep.id;
  }

  view(): CeremonyView {
    const view = buildView(this.state, (s) => blockersOf(s).map((b) => b.message));
    const p = this.progress;
    return p && this.state.steps.find((s) => s.id === p.stepId)?.status === 'running' ? { ...view, progress: { ...p } } : view;
  }

  checkIn(request: CheckInRequest): Promise<CeremonyView> {
    return this.exclusive(async () => {
      this.assertNotFinished();
      await this.record(CeremonyEventType.CheckedIn, checkInEventData(this.state, request));
      return this.view();
    });
  }

  /** Records confirmations of the current step (one event per participant; repeating one is harmless). */
  confirm(stepId: string, participantIds: string | string[]): Promise<CeremonyView> {
    return this.exclusive(async () => {
      const { step, stepState } = this.currentStep(stepId);
      const quorum = requiredQuorum(step);
      if (!quorum) throw new CeremonyError(CeremonyErrorCode.NotInQuorum, `Step "${step.title}" takes no confirmations.`);
      const ids = Array.isArray(participantIds) ? participantIds : [participantIds];
      for (const id of ids) {
        const checkIn = this.checkedIn(id);
        if (!mayConfirm(quorum, id, checkIn.role)) {
          throw new CeremonyError(CeremonyErrorCode.NotInQuorum, `${id} is not among those who confirm this step.`);
        }
      }
      for (const id of ids) {
        if (stepState.confirmedBy.includes(id)) continue;
        await this.record(CeremonyEventType.Confirmed, { stepId: step.id, participantId: id });
      }
      return this.view();
    });
  }

  /**
   * Takes a participant's values for the current step; secret ones stay in memory until the step runs. The same
   * values sent again (a double click) change nothing and add no event; different values for an input already
   * entered are refused ("already entered"). When a restart took away a login this step needs, the values are
   * that login's (the view's current.relogin says whose), and the login is made again first.
   */
  provideInput(stepId: string, participantId: string, values: Record<string, RawInputValue>): Promise<CeremonyView> {
    if (lostLoginOf(this.state)) return this.relogin(stepId, participantId, values);
    return this.exclusive(async () => {
      const { step, stepState } = this.currentStep(stepId);
      await acceptInput(this.inputHost(), step, stepState, this.checkedIn(participantId), values);
      return this.view();
    });
  }

  /**
   * Makes again a login that a restart took away, before the current step (which acts in its session) runs: the
   * login step's own action with the values its participant types now. Journals step.relogin, or
   * step.relogin-failed with the reason (a wrong PIN is refused as such, and can be typed again).
   */
  relogin(stepId: string, participantId: string, values: Record<string, RawInputValue>): Promise<CeremonyView> {
    return this.exclusive(async () => {
      const { step } = this.currentStep(stepId);
      await makeLoginAgain(this.inputHost(), step, this.checkedIn(participantId), values);
      return this.view();
    });
  }

  /** Runs the current step if nothing blocks it: step.started, then the work, then step.completed or step.failed. */
  runCurrentStep(stepId?: string): Promise<CeremonyView> {
    return this.exclusive(async () => {
      const blocker = blockersOf(this.state)[0];
      if (blocker) throw new CeremonyError(blocker.code, blocker.message);
      const { step, stepState } = this.currentStep(stepId);
      const attempt = stepState.attempts + 1;
      let params: JsonObject | undefined;
      if (step.kind === 'action' || step.kind === 'print') {
        try {
          params = resolveReferences((step.params ?? {}) as JsonValue, referenceSource(this.state)) as JsonObject;
        } catch (error) {
          throw new CeremonyError(CeremonyErrorCode.ValueUnavailable, reasonOf(error).message);
        }
      }
      await this.record(CeremonyEventType.StepStarted, { stepId: step.id, index: stepState.index, kind: step.kind, attempt, ...(params ? { params } : {}) });
      await this.execute(step, attempt, params ?? {});
      return this.view();
    });
  }

  /** The same as runCurrentStep: a host may call whichever reads better. */
  advance(stepId?: string): Promise<CeremonyView> {
    return this.runCurrentStep(stepId);
  }

  /** Hands the secret of a started reveal step to the screen of the one participant it is for, and journals that it was shown. */
  takeReveal(stepId: string, participantId: string): Promise<RevealedSecret> {
    return this.exclusive(async () => {
      const { step, stepState } = this.currentStep(stepId);
      if (step.kind !== 'reveal' || stepState.status !== 'running')
        throw new CeremonyError(CeremonyErrorCode.NotCurrentStep, 'No secret is waiting to be shown now.');
      if (participantId !== step.to) throw new CeremonyError(CeremonyErrorCode.WrongParticipant, `This secret is for ${step.to} only.`);
      this.checkedIn(participantId);
      const bytes = this.secrets.reveal(step.secret.step, step.secret.key);
      if (!bytes) throw new CeremonyError(CeremonyErrorCode.SecretLost, 'The secret is no longer in memory.');
      await this.record(CeremonyEventType.RevealShown, { stepId: step.id, participantId });
      return { stepId: step.id, participantId, ...displayForm(bytes) };
    });
  }

  /** The participant has seen (and written down) the secret: it is zeroed and dropped, and the step completes. */
  acknowledgeReveal(stepId: string, participantId: string): Promise<CeremonyView> {
    return this.exclusive(async () => {
      const { step, stepState } = this.currentStep(stepId);
      if (step.kind !== 'reveal' || stepState.status !== 'running')
        throw new CeremonyError(CeremonyErrorCode.NotCurrentStep, 'No secret is waiting to be acknowledged now.');
      if (participantId !== step.to) throw new CeremonyError(CeremonyErrorCode.WrongParticipant, `Only ${step.to} can acknowledge this secret.`);
      if (stepState.revealShownTo !== participantId) throw new CeremonyError(CeremonyErrorCode.RevealNotShown, 'The secret has not been shown yet.');
      this.secrets.dropReveal(step.secret.step, step.secret.key);
      await this.complete(step, stepState.attempts, { acknowledgedBy: participantId });
      return this.view();
    });
  }

  pause(reason: string, by = 'administrator'): Promise<CeremonyView> {
    return this.exclusive(async () => {
      this.assertNotFinished();
      if (this.state.status === 'paused') throw new CeremonyError(CeremonyErrorCode.Paused, 'The ceremony is already paused.');
      await this.record(CeremonyEventType.Paused, { reason: requireReason(reason), by });
      return this.view();
    });
  }

  resume(by = 'administrator'): Promise<CeremonyView> {
    return this.exclusive(async () => {
      this.assertNotFinished();
      if (this.state.status !== 'paused') throw new CeremonyError(CeremonyErrorCode.NotPaused, 'The ceremony is not paused.');
      await this.record(CeremonyEventType.Resumed, { by });
      return this.view();
    });
  }

  /** Stops the ceremony for good, with the reason on record; secrets in memory are dropped; the journal is closed. */
  abort(reason: string, by = 'administrator'): Promise<CeremonyView> {
    return this.exclusive(async () => {
      this.assertNotFinished();
      await this.record(CeremonyEventType.Aborted, { reason: requireReason(reason), by, atStep: this.state.steps[this.state.currentIndex]?.id ?? null });
      this.secrets.dropAll();
      // journal.closed is the final chain head: the view (the closing screen) shows the one the transcript prints
      applyEvent(this.state, await this.journal.close({ outcome: 'aborted', ceremonyId: this.id }));
      return this.view();
    });
  }

  /** Allows a failed or interrupted current step to run again; the reason is recorded. */
  retry(stepId: string, reason: string, by = 'administrator'): Promise<CeremonyView> {
    return this.exclusive(async () => {
      this.assertOpen();
      const { step, stepState } = this.currentStep(stepId);
      if (stepState.status !== 'failed' && stepState.status !== 'interrupted') {
        throw new CeremonyError(CeremonyErrorCode.StepNotRetryable, `Step "${step.title}" has not failed; there is nothing to retry.`);
      }
      if (stepState.status === 'failed' && stepState.failure?.retryable === false) {
        throw new CeremonyError(CeremonyErrorCode.StepNotRetryable, `Step "${step.title}" cannot be retried: ${stepState.failure.message}`);
      }
      await this.record(CeremonyEventType.StepRetry, { stepId: step.id, reason: requireReason(reason), by, afterAttempt: stepState.attempts });
      return this.view();
    });
  }

  /** Lets go of the journal file without closing the ceremony (the app is quitting; open() continues later). */
  async release(): Promise<void> {
    this.secrets.dropAll();
    await this.journal.release();
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────────────

  private execute(step: Step, attempt: number, params: JsonObject): Promise<void> {
    return executeStep(this.actionHost(), step, attempt, params);
  }

  private actionHost(): ActionStepHost {
    return {
      id: this.id,
      dir: this.dir,
      state: this.state,
      options: this.options,
      secrets: this.secrets,
      record: (type, data) => this.record(type, data),
      complete: (s, a, result, extra) => this.complete(s, a, result, extra),
      fail: (s, a, reason) => this.fail(s, a, reason),
      progress: (stepId, done, total, what) => {
        this.progress = { stepId, done, total, what };
        this.options.onProgress?.({ ...this.progress });
      },
    };
  }

  private inputHost(): InputHost {
    return { ...this.actionHost(), lastInput: this.lastInput, inputSalt: this.inputSalt };
  }

  private async complete(step: Step, attempt: number, result: JsonValue, extra: Record<string, JsonValue> = {}): Promise<void> {
    const stepState = this.state.steps.find((s) => s.id === step.id)!;
    await this.record(CeremonyEventType.StepCompleted, { stepId: step.id, attempt, result, confirmedBy: [...stepState.confirmedBy], ...extra });
    if (this.state.currentIndex >= this.state.steps.length) await this.finishCompleted();
  }

  private async finishCompleted(): Promise<void> {
    await this.record(CeremonyEventType.Completed, { steps: this.state.steps.length });
    this.secrets.dropAll();
    applyEvent(this.state, await this.journal.close({ outcome: 'completed', ceremonyId: this.id }));
  }

  private async fail(step: Step, attempt: number, reason: { code: string; message: string; retryable?: boolean }): Promise<void> {
    const retryable = reason.retryable ?? retryableByDefault(reason.code);
    await this.record(CeremonyEventType.StepFailed, { stepId: step.id, attempt, reason: { code: reason.code, message: reason.message }, retryable });
  }

  private async record(type: CeremonyEventType, data: JsonValue): Promise<void> {
    const event = await this.journal.append(type, data);
    applyEvent(this.state, event);
  }

  private currentStep(stepId?: string) {
    this.assertOpen();
    const stepState = this.state.steps[this.state.currentIndex];
    if (!stepState) throw new CeremonyError(CeremonyErrorCode.Finished, 'All steps are done.');
    if (stepId !== undefined && stepId !== stepState.id) {
      throw new CeremonyError(CeremonyErrorCode.NotCurrentStep, `"${stepId}" is not the current step (the current step is "${stepState.id}").`);
    }
    return { step: this.state.script.steps[stepState.index], stepState };
  }

  private checkedIn(participantId: string) {
    const checkIn = this.state.checkIns[participantId];
    if (!checkIn) throw new CeremonyError(CeremonyErrorCode.NotCheckedIn, `${participantId} has not checked in.`);
    return checkIn;
  }

  private assertNotFinished(): void {
    if (this.state.status === 'aborted' || this.state.status === 'completed' || this.journal.isClosed) {
      throw new CeremonyError(CeremonyErrorCode.Finished, `The ceremony is ${this.state.status}.`);
    }
  }

  private assertOpen(): void {
    this.assertNotFinished();
    if (this.state.status === 'paused') throw new CeremonyError(CeremonyErrorCode.Paused, `The ceremony is paused: ${this.state.pauseReason ?? ''}`);
  }

  private exclusive<T>(command: () => Promise<T>): Promise<T> {
    const result = this.queue.then(command, command);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
