import type { JsonValue } from '../../journal';
import type { DeviceSpec } from '../script';
import type { OutputFile, OutputsWriter } from '../engine/outputs';

export type JsonObject = { [key: string]: JsonValue };

/** What an action may use. Everything is injected, so the same action runs under Electron, the browser host and the CLI. */
export interface ActionContext {
  ceremonyId: string;
  stepId: string;
  /** 1 for the first try, 2… for retries */
  attempt: number;
  rehearsal: boolean;
  parameters: JsonObject;
  /** the device the step names, if any, and all devices of the script */
  device?: DeviceSpec;
  devices: DeviceSpec[];
  /** host-provided services (the device-host client, printers...) by name */
  services: Record<string, unknown>;
  /** creates files in <ceremony>/outputs, never overwriting one */
  outputs: OutputsWriter;
  /** adds an action.note event to the journal; refuses secret-looking keys like every journal write */
  log(message: string, details?: JsonObject): Promise<void>;
  /**
   * How far a step over many items has come, for the screen only ("2 of 5 keys wrapped"): memory, never the journal.
   * `what` is the plural noun phrase of the items done.
   */
  progress(done: number, total: number, what: string): void;
}

/** Values entered for the step: public fields as typed values, secret fields as bytes (zeroed after the run). */
export type ActionInputs = Record<string, string | number | boolean | Uint8Array>;

export interface ActionResult {
  /** journaled as the step's result: public facts only (fingerprints, labels, check values...) */
  publicResult: JsonObject;
  /** secrets to show later to one participant each, by key (reveal steps name them); kept in memory only */
  reveal?: Record<string, Uint8Array | string>;
  /**
   * files for the engine to write exclusively into outputs (ctx.outputs.write does the same from inside run);
   * `secret: true` (a share card...) is refused outside rehearsal
   */
  outputs?: { name: string; content: Uint8Array | string; secret?: boolean }[];
}

/** Before retrying after a failure or a crash: has the action's effect already happened? */
export type EffectCheck = { state: 'absent' } | { state: 'present'; detail?: string; publicResult?: JsonObject } | { state: 'unknown'; detail: string };

/** A parameter a preflight would refuse, as the new-ceremony form shows it: a code and the preflight's own sentence. */
export interface ParameterProblem {
  code: string;
  message: string;
}

export interface ActionDefinition {
  /** a sentence for the screen: what this action does */
  description?: string;
  run(ctx: ActionContext, params: JsonObject, inputs: ActionInputs): Promise<ActionResult>;
  /** called before a retry; 'present' with a publicResult completes the step without running again */
  checkEffect?(ctx: ActionContext, params: JsonObject): Promise<EffectCheck>;
  /**
   * For an action with side effects and no effect check: it is never run a second time (after a failure or an
   * interruption). This is the instruction the room gets instead, e.g. "Abort, remove the KEK …, and start again".
   */
  notRetryable?: string | ((ceremonyId: string) => string);
}

export class ActionRegistry {
  private readonly actions = new Map<string, ActionDefinition>();

  register(name: string, definition: ActionDefinition): this {
    if (this.actions.has(name)) throw new Error(`An action named ${name} is already registered.`);
    this.actions.set(name, definition);
    return this;
  }

  get(name: string): ActionDefinition | undefined {
    return this.actions.get(name);
  }

  has(name: string): boolean {
    return this.actions.has(name);
  }

  names(): string[] {
    return [...this.actions.keys()].sort();
  }

  /** a registry with this one's actions plus more (tests, hosts adding their own) */
  extend(): ActionRegistry {
    const copy = new ActionRegistry();
    for (const [name, def] of this.actions) copy.register(name, def);
    return copy;
  }
}

export type { OutputFile };
