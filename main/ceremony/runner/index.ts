export { AnswersSchema, parseAnswers } from './answers';
export type { Answers } from './answers';
export { runScript } from './run-script';
export type { RunScriptOptions, RunScriptResult } from './run-script';
