import type { JournalEvent, JsonValue } from '../../journal';
import type { ActionRegistry } from '../actions';

/** How a ceremony engine is set up by its host (its own file, so the step runners need not import the engine). */
export interface EngineOptions {
  actions?: ActionRegistry;
  /** host services handed to actions as ctx.services (the device-host client, …) */
  services?: Record<string, unknown>;
  appVersion?: string;
  /** the devices present, for the first journal event */
  devicesPresent?: JsonValue;
  /**
   * "this ceremony must run on rehearsal devices" (a CLI run with --rehearsal): refused before the first step on a
   * real one. Never makes a ceremony a rehearsal: only its devices do.
   */
  rehearsal?: boolean;
  ceremonyId?: string;
  clock?: () => Date;
  /** called after every event is on disk (the crash test prints each acknowledged seq) */
  onAppended?: (event: JournalEvent) => void;
  /** called when a running step reports how far it has come (the screen asks for the view again) */
  onProgress?: (report: { stepId: string; done: number; total: number; what: string }) => void;
}
