/** Event types the engine writes to the journal. The transcript is rendered from these. */
export enum CeremonyEventType {
  Reopened = 'ceremony.reopened',
  CheckedIn = 'participant.checked-in',
  Confirmed = 'step.confirmed',
  InputProvided = 'step.input-provided',
  StepStarted = 'step.started',
  EffectChecked = 'step.effect-checked',
  StepCompleted = 'step.completed',
  StepFailed = 'step.failed',
  StepInterrupted = 'step.interrupted',
  StepRetry = 'step.retry',
  RevealShown = 'reveal.shown',
  ActionNote = 'action.note',
  /** a device first used after the ceremony started, judged as its first devices were */
  DeviceAdded = 'ceremony.device-added',
  Paused = 'ceremony.paused',
  Resumed = 'ceremony.resumed',
  Aborted = 'ceremony.aborted',
  Completed = 'ceremony.completed',
}

/** Step events whose order the UI run and the CLI run must agree on. */
export const STEP_EVENT_TYPES: ReadonlySet<string> = new Set([
  CeremonyEventType.Confirmed,
  CeremonyEventType.InputProvided,
  CeremonyEventType.StepStarted,
  CeremonyEventType.EffectChecked,
  CeremonyEventType.StepCompleted,
  CeremonyEventType.StepFailed,
  CeremonyEventType.StepInterrupted,
  CeremonyEventType.StepRetry,
  CeremonyEventType.RevealShown,
]);
