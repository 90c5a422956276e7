import { create } from 'zustand';
import type { ApiError, CeremonyCommand, CeremonySummary, CeremonyView, TemplateInfo } from '../../preload/api';

interface CeremonyState {
  templates: TemplateInfo[];
  list: CeremonySummary[];
  view: CeremonyView | null;
  busy: string | null;
  /** when the current command began (for the elapsed time) and the step it runs, if it runs one */
  busySince: number | null;
  runningStepId: string | null;
  /** the running step's own report of how far it has come ("2 of 5 keys wrapped"), while the command runs */
  progress: NonNullable<CeremonyView['progress']> | null;
  error: ApiError | null;
  /** a secret on screen for one participant; cleared the moment they acknowledge it */
  revealed: { stepId: string; participantId: string; value: string; format: 'text' | 'hex' } | null;
  loadList(): Promise<void>;
  create(template: string, parameters: Record<string, unknown>): Promise<string | null>;
  open(id: string): Promise<void>;
  /** while a command runs: asks for the view only to learn the running step's progress */
  refreshProgress(id: string): Promise<void>;
  /**
   * Sends a command; `then`, given the view it answered with, may name the next one (a confirm that completes a
   * confirm step runs it): that one follows at once, the screen busy throughout, so the room sees one action.
   */
  command(command: CeremonyCommand, busyText?: string, then?: (view: CeremonyView) => { command: CeremonyCommand; busyText: string } | null): Promise<boolean>;
  reveal(stepId: string, participantId: string): Promise<void>;
  acknowledgeReveal(stepId: string, participantId: string): Promise<void>;
  clearError(): void;
}

export const useCeremonyStore = create<CeremonyState>((set, get) => ({
  templates: [],
  list: [],
  view: null,
  busy: null,
  busySince: null,
  runningStepId: null,
  progress: null,
  error: null,
  revealed: null,

  async loadList() {
    const [templates, list] = await Promise.all([window.custodian.ceremony.templates({}), window.custodian.ceremony.list({})]);
    if (templates.ok) set({ templates: templates.value });
    if (list.ok) set({ list: list.value });
    if (!templates.ok) set({ error: templates.error });
    else if (!list.ok) set({ error: list.error });
  },

  async create(template, parameters) {
    set({ busy: 'Preparing the ceremony…', error: null });
    const result = await window.custodian.ceremony.create({ template, parameters });
    set({ busy: null });
    if (!result.ok) {
      set({ error: result.error });
      return null;
    }
    set({ view: result.value });
    return result.value.ceremonyId;
  },

  async open(id) {
    set({ view: null, error: null, revealed: null });
    const result = await window.custodian.ceremony.view({ id });
    if (result.ok) set({ view: result.value });
    else set({ error: result.error });
  },

  async refreshProgress(id) {
    const result = await window.custodian.ceremony.view({ id });
    if (result.ok && get().busy) set({ progress: result.value.progress ?? null });
  },

  async command(command, busyText, then) {
    const id = get().view?.ceremonyId;
    if (!id) return false;
    set({ busy: busyText ?? 'Working…', busySince: Date.now(), runningStepId: command.kind === 'run' ? command.stepId : null, error: null });
    const result = await window.custodian.ceremony.command({ id, command });
    const idle = { busy: null, busySince: null, runningStepId: null, progress: null };
    if (result.ok) {
      const next = then?.(result.value);
      if (next) {
        set({ view: result.value });
        return get().command(next.command, next.busyText);
      }
      set({ view: result.value, ...idle });
      return true;
    }
    // The ceremony may have recorded a failure: show the error and the journal's view of it.
    const fresh = await window.custodian.ceremony.view({ id });
    set({ error: result.error, ...idle, ...(fresh.ok ? { view: fresh.value } : {}) });
    return false;
  },

  async reveal(stepId, participantId) {
    const id = get().view?.ceremonyId;
    if (!id) return;
    const result = await window.custodian.ceremony.reveal({ id, stepId, participantId });
    if (result.ok) set({ revealed: { stepId, participantId, ...result.value } });
    else set({ error: result.error });
  },

  async acknowledgeReveal(stepId, participantId) {
    set({ revealed: null });
    await get().command({ kind: 'acknowledgeReveal', stepId, participantId });
  },

  clearError() {
    set({ error: null });
  },
}));
