/**
 * The template catalogue: each built-in template's name, title and description as the full parser lists them
 * (listTemplates(), its title and description expanded for the default parameters), written at build time beside
 * the bundle's template files (out/node/templates/catalogue.json, by the template-catalogue entry), so that
 * `custodian templates` prints the list without loading the YAML parser and the ceremony engine.
 *
 * A catalogue is used only when it describes exactly the template files beside it: the same files, byte for byte
 * (their SHA-256). Otherwise — a template added, changed or removed since the build, or no catalogue at all, as when
 * the CLI runs from source — the command asks the full parser. This module imports nothing but Node's own.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TemplateSummary } from '../../ceremony';

export const CATALOGUE_FILE = 'catalogue.json';

export interface TemplateCatalogue {
  /** every template file of the folder (`<name>.yaml`, answers examples aside) and its SHA-256 */
  files: Record<string, string>;
  /** what listTemplates() gave, in its order */
  templates: TemplateSummary[];
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** The template files of a folder, sorted: `<name>.yaml` but not `<name>.answers.yaml`. */
function templateFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('.answers.yaml'))
    .sort();
}

/** The catalogue of the template files in `dir`, for the list the full parser made of them. */
export function templateCatalogue(templates: TemplateSummary[], dir: string): TemplateCatalogue {
  const files = Object.fromEntries(templateFiles(dir).map((f) => [f, sha256(readFileSync(join(dir, f)))]));
  return { files, templates: templates.map(({ name, title, description, rehearsal }) => ({ name, title, description, rehearsal })) };
}

/** The templates folder beside the running bundle (out/node/templates); from source, a folder that does not exist. */
export function bundledTemplatesDirectory(): string {
  return fileURLToPath(new URL('./templates/', import.meta.url));
}

const isSummary = (t: unknown): t is TemplateSummary => {
  const s = t as Partial<TemplateSummary> | null;
  return (
    typeof s?.name === 'string' &&
    typeof s.title === 'string' &&
    (s.description === undefined || typeof s.description === 'string') &&
    typeof s.rehearsal === 'boolean'
  );
};

/**
 * The list from `dir`'s catalogue, when there is one and it describes exactly the template files there; else
 * undefined (the caller then asks the full parser, whose list this is).
 */
export function readTemplateCatalogue(dir: string): TemplateSummary[] | undefined {
  try {
    const catalogue = JSON.parse(readFileSync(join(dir, CATALOGUE_FILE), 'utf8')) as Partial<TemplateCatalogue> | null;
    const { files, templates } = catalogue ?? {};
    if (typeof files !== 'object' || files === null || !Array.isArray(templates) || !templates.every(isSummary)) return undefined;
    const present = templateFiles(dir);
    if (present.length !== Object.keys(files).length) return undefined;
    if (present.some((f) => files[f] !== sha256(readFileSync(join(dir, f))))) return undefined;
    return templates.map(({ name, title, description, rehearsal }) => ({ name, title, ...(description === undefined ? {} : { description }), rehearsal }));
  } catch {
    return undefined; // no catalogue (from source), or one that cannot be read: the full parser answers
  }
}
