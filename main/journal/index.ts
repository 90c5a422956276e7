// The append-only, hash-chained ceremony journal: writing (fsync'ed), recovery after a crash, verification.
export { canonicalJson } from './canonical-json';
export type { JsonValue } from './canonical-json';
export { analyseChain, fragmentOf } from './chain';
export type { ChainAnalysis, ChainFaultKind, TornFragment } from './chain';
export { JournalError, JournalErrorCode } from './errors';
export { GENESIS_PREV, hashEventFields, JournalEventType, parseEventLine, serialiseEvent } from './event';
export type { JournalEvent } from './event';
export { collectHostFacts } from './host-facts';
export type { HostFacts } from './host-facts';
export { Journal, readJournalBytes } from './journal';
export type { CreateJournalOptions, JournalOptions, OpenedJournal, OpenJournalOptions } from './journal';
export { assertNoSecretFields, isSecretKeyName } from './secret-guard';
export { verifyJournal, verifyJournalBytes, verifyJournalFile } from './verify';
export type { VerifyFailure, VerifyOk, VerifyOptions, VerifyResult } from './verify';
export { runVerifyCommand, VerifyExitCode } from './verify-command';
export { journalStateOf } from './state';
export type { JournalState, JournalStateReport } from './state';
