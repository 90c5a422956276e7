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
export type { CreateJournalOptions, JournalOptions, OpenedJournal } from './journal';
export { assertNoSecretFields, isSecretKeyName } from './secret-guard';
export { assertNoSecretValues, MIN_SUBSTRING_FORM } from './value-guard';
export type { SecretValue, SecretValueSource } from './value-guard';
export { verifyJournal, verifyJournalBytes, verifyJournalFile } from './verify';
export type { VerifyFailure, VerifyOk, VerifyOptions, VerifyResult } from './verify';
export { runVerifyCommand } from './verify-command';
