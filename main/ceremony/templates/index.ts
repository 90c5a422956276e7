import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCatalogueEntries } from '../../catalogue';
import { defaultActionRegistry } from '../actions';
import { expandTemplate, ParameterSchema, parseTemplate, type ParameterSpec, type ParsedScript, type TemplateValue } from '../script';

// The built-in ceremony templates: one plain .yaml file each in this folder (the script the administrator reads
// aloud, written in the language of script/LANGUAGE.md), and beside it <name>.answers.yaml, the example answers file
// for a rehearsal run. Adding a template = its two files + its name in this list.
export const TEMPLATE_NAMES = [
  'dry-run-demo',
  'key-generation',
  'backup',
  'restore',
  'token-init',
  'user-pin-reset',
  'pin-change',
  'yubihsm-setup',
  'yubihsm-auth-rotation',
  'sign-subordinate',
  'sign-crl',
  'key-rotation',
  'key-destruction',
  'inventory',
  'yubihsm-key-generation',
  'yubihsm-restore',
  'yubihsm-inventory',
] as const;

export interface TemplateSummary {
  name: string;
  title: string;
  description?: string;
  rehearsal: boolean;
}

/** What the new-ceremony form offers for a template: its summary and its parameters, as the script declares them. */
export interface TemplateForm extends TemplateSummary {
  parameters: Record<string, ParameterSpec>;
}

export interface Template extends ParsedScript {
  name: string;
}

function moduleDirectory(): string | undefined {
  try {
    if (typeof __dirname === 'string') return __dirname;
  } catch {
    // ESM: no __dirname
  }
  try {
    return dirname(fileURLToPath(import.meta.url));
  } catch {
    return undefined;
  }
}

/**
 * The folder the template files are read from: beside the running module (this source folder, or a bundle with a
 * templates/ folder next to it), else main/ceremony/templates in the repository the process runs from.
 */
export function templatesDirectory(): string {
  const marker = `${TEMPLATE_NAMES[0]}.yaml`;
  const here = moduleDirectory();
  const candidates: string[] = [];
  if (here) {
    candidates.push(here, join(here, 'templates'));
    for (let dir = here, i = 0; i < 8; i++, dir = dirname(dir)) candidates.push(join(dir, 'main', 'ceremony', 'templates'));
  }
  candidates.push(join(process.cwd(), 'main', 'ceremony', 'templates'));
  const found = candidates.find((dir) => existsSync(join(dir, marker)));
  if (!found) throw new Error(`The ceremony template files (${marker} …) are not beside the program (looked in ${candidates.slice(0, 3).join(', ')}).`);
  return found;
}

const sources = new Map<string, string>();
function source(file: string): string {
  let text = sources.get(file);
  if (text === undefined) {
    text = readFileSync(join(templatesDirectory(), file), 'utf8');
    sources.set(file, text);
  }
  return text;
}

const isTemplate = (name: string): boolean => (TEMPLATE_NAMES as readonly string[]).includes(name);
const knownActions = (n: string) => defaultActionRegistry.has(n);

/** The template's .yaml file as written, constructs and all (what an auditor reads before the day). */
export function templateSource(name: string): string | undefined {
  return isTemplate(name) ? source(`${name}.yaml`) : undefined;
}

/**
 * The list reads only each file's metadata and parameters sections (expanded for the defaults): `custodian templates`
 * and the Home screen list them without parsing every step of every template.
 */
export function listTemplates(): TemplateSummary[] {
  return templateForms().map(({ parameters: _, ...summary }) => summary);
}

interface TemplateHead {
  metadata: { title: string; description?: string; rehearsal?: boolean };
  parameters?: Record<string, unknown>;
}
const forms = new Map<string, TemplateForm>();

/** A catalogue entry with a form's shape: its summary, and parameters the script language accepts. */
function isForm(entry: unknown): entry is TemplateForm {
  const f = entry as Partial<TemplateForm> | null;
  return (
    typeof f?.name === 'string' &&
    typeof f.title === 'string' &&
    (f.description === undefined || typeof f.description === 'string') &&
    typeof f.rehearsal === 'boolean' &&
    typeof f.parameters === 'object' &&
    f.parameters !== null &&
    Object.values(f.parameters).every((p) => ParameterSchema.safeParse(p).success)
  );
}

/**
 * The forms from the catalogue the build wrote beside the template files in `dir` (main/catalogue), when it
 * describes exactly those files and names every template in this list's order; else undefined.
 */
export function catalogueForms(dir: string): TemplateForm[] | undefined {
  const entries = readCatalogueEntries(dir, isForm);
  if (!entries || entries.map((f) => f.name).join() !== TEMPLATE_NAMES.join()) return undefined;
  return entries.map((f) => ({ ...f, parameters: Object.fromEntries(Object.entries(f.parameters).map(([k, p]) => [k, ParameterSchema.parse(p)])) }));
}

/**
 * Each template's summary and parameters, from the same two sections as the list (read once a process): the Home
 * screen's form needs no step of any template, so opening it parses none. A built program reads them from the
 * catalogue beside its template files, when that still describes them (no parse at all); the build, which writes
 * that catalogue, asks for the parser's forms (fromCatalogue: false).
 */
export function templateForms({ fromCatalogue = true }: { fromCatalogue?: boolean } = {}): TemplateForm[] {
  if (fromCatalogue && forms.size === 0) for (const form of catalogueForms(templatesDirectory()) ?? []) forms.set(form.name, form);
  return TEMPLATE_NAMES.map((name) => {
    let form = forms.get(name);
    if (!form) {
      const sections = source(`${name}.yaml`).split(/^(?=[A-Za-z_]+:)/m);
      const head = sections.filter((part) => /^(metadata|parameters|let):/.test(part)).join('');
      const { metadata, parameters = {} } = expandTemplate(head, {}).doc.toJS() as TemplateHead;
      form = {
        name,
        title: metadata.title,
        description: metadata.description,
        rehearsal: metadata.rehearsal === true,
        parameters: Object.fromEntries(Object.entries(parameters).map(([key, spec]) => [key, ParameterSchema.parse(spec)])),
      };
      forms.set(name, form);
    }
    return structuredClone(form);
  });
}

// expansions already made in this process, by template and parameters (the form asks for the same ones again and again)
const expanded = new Map<string, ParsedScript>();

/**
 * The template expanded for these parameters (its defaults for the others): the plain script text and its parse.
 * Undefined for an unknown name; a ScriptError names the parameter when a value does not fit.
 */
export function getTemplate(name: string, parameters: Record<string, unknown> = {}): Template | undefined {
  if (!isTemplate(name)) return undefined;
  const key = `${name}\n${JSON.stringify(parameters)}`;
  let parsed = expanded.get(key);
  if (!parsed) {
    parsed = parseTemplate(source(`${name}.yaml`), parameters, { knownActions });
    if (expanded.size > 100) expanded.clear();
    expanded.set(key, parsed);
  }
  return { name, ...structuredClone(parsed) };
}

const scalar = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/**
 * An answers file that runs the template non-interactively in rehearsal mode, for these parameters. `placeholders`
 * fills the values the example leaves for the operator (the rehearsal user PIN…; see its placeholders section).
 */
export function answersExample(name: string, parameters: Record<string, unknown> = {}, placeholders: Record<string, TemplateValue> = {}): string | undefined {
  if (!isTemplate(name)) return undefined;
  const template = expandTemplate(source(`${name}.yaml`), parameters);
  const given = Object.entries(parameters).filter(([, v]) => scalar(v));
  const answers = expandTemplate(
    source(`${name}.answers.yaml`),
    {},
    {
      what: 'answers example',
      parameterValues: template.parameters,
      placeholders,
      names: { parametersGiven: given.length > 0 },
    },
  );
  const doc = answers.doc;
  if (given.length === 0 && answers.text === source(`${name}.answers.yaml`)) return answers.text; // nothing to fill in: the file as written
  // the parameters given, laid over the example's own
  if (given.length > 0) {
    const own = (doc.toJS() as { parameters?: Record<string, unknown> } | null)?.parameters ?? {};
    doc.set('parameters', doc.createNode({ ...own, ...Object.fromEntries(given) }));
  }
  return doc.toString({ lineWidth: 120 });
}
