import { defaultActionRegistry } from '../actions';
import { parseScript, type ParsedScript } from '../script';
import * as dryRunDemo from './dry-run-demo';
import * as backup from './backup';
import * as restore from './restore';
import * as keyGeneration from './key-generation';
import * as tokenInit from './token-init';
import * as userPinReset from './user-pin-reset';
import * as pinChange from './pin-change';
import * as yubihsmSetup from './yubihsm-setup';
import * as yubihsmAuthRotation from './yubihsm-auth-rotation';
import { yamlTemplate } from './yaml-template';

/** One module per ceremony template: its name, its script text and an example answers file for rehearsals. */
interface TemplateModule {
  name: string;
  /** the script with its default parameters */
  scriptText: string;
  answersText: string;
  /**
   * For templates whose list of steps depends on parameters (one reveal step per custodian): the script for the
   * given parameters, e.g. { custodians: 5, threshold: 3 }. getTemplate(name, parameters) uses it.
   */
  scriptFor?: (parameters: Record<string, unknown>) => string;
  /** the answers file for the given parameters, when answers depend on them */
  answersFor?: (parameters: Record<string, unknown>) => string;
}

const TEMPLATES: TemplateModule[] = [
  dryRunDemo,
  keyGeneration,
  backup,
  restore,
  tokenInit,
  userPinReset,
  pinChange,
  yubihsmSetup,
  yubihsmAuthRotation,
  yamlTemplate('sign-subordinate'),
  yamlTemplate('sign-crl'),
  yamlTemplate('key-rotation'),
  yamlTemplate('key-destruction'),
  yamlTemplate('inventory'),
];

export interface TemplateSummary {
  name: string;
  title: string;
  description?: string;
  rehearsal: boolean;
}

export interface Template extends ParsedScript {
  name: string;
}

export function listTemplates(): TemplateSummary[] {
  return TEMPLATES.map((t) => {
    const { script } = parseScript(t.scriptText);
    return { name: t.name, title: script.metadata.title, description: script.metadata.description, rehearsal: script.metadata.rehearsal };
  });
}

/** The template's script text and parsed script (for these parameters, when its steps depend on them); undefined for an unknown name. */
export function getTemplate(name: string, parameters?: Record<string, unknown>): Template | undefined {
  const module = TEMPLATES.find((t) => t.name === name);
  if (!module) return undefined;
  const text = parameters && module.scriptFor ? module.scriptFor(parameters) : module.scriptText;
  return { name: module.name, ...parseScript(text, { knownActions: (n) => defaultActionRegistry.has(n) }) };
}

/** An answers file that runs the template non-interactively in rehearsal mode. */
export function answersExample(name: string, parameters?: Record<string, unknown>): string | undefined {
  const module = TEMPLATES.find((t) => t.name === name);
  if (!module) return undefined;
  return parameters && module.answersFor ? module.answersFor(parameters) : module.answersText;
}
