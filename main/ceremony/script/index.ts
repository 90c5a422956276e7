export * from './model';
export { parseScript, parseStrictYaml, ScriptError } from './parse';
export type { ParsedScript, ParseScriptOptions, ScriptIssue } from './parse';
export { custodiansRequired, describeQuorum, expectedParticipants, quorumRoleCounts, Role, ROLE_GROUPS } from './participants';
export type { ExpectedParticipant } from './participants';
export { referencesIn, resolveReferences, UnresolvedReference } from './references';
export type { ReferenceSource } from './references';
export { checkScriptSemantics } from './semantics';
export type { SemanticIssue } from './semantics';
