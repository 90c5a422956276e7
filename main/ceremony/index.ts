// Ceremonies: scripts (strictly parsed), the engine that runs them step by step over the journal,
// the action registry real ceremonies plug into, built-in templates and the non-interactive runner.
export * from './script';
export * from './engine';
export { ActionRegistry, defaultActionRegistry, Pkcs11SessionStore, PREFLIGHT_PARAMETER_CHECKS, registerAction, SecretVault, vaultOf } from './actions';
export type { ActionContext, ActionDefinition, ActionInputs, ActionResult, EffectCheck, JsonObject, ParameterProblem } from './actions';
export { answersExample, getTemplate, listTemplates, templateForms, templatesDirectory } from './templates';
export type { Template, TemplateForm, TemplateSummary } from './templates';
export { AnswersSchema, parseAnswers, runScript } from './runner';
export type { Answers, RunScriptOptions, RunScriptResult } from './runner';
export { CeremonyError, CeremonyErrorCode, reasonOf } from '../errors';
