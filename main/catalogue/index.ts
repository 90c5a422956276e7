/**
 * The template catalogue: what the full parser says of each built-in template, written at build time beside the
 * bundle's template files (out/node/templates/catalogue.json) with each template file's SHA-256, so that the list
 * (`custodian templates`) and the new-ceremony form (the Home screen) need not parse every template at start-up.
 *
 * A catalogue is used only when it describes exactly the template files beside it: the same files, byte for byte.
 * Otherwise — a template added, changed or removed since the build, or no catalogue at all, as when running from
 * source — its readers ask the parser. This module imports nothing but Node's own: the CLI loads it without the
 * ceremony engine, and its entries are checked by each reader for the shape it needs.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const CATALOGUE_FILE = 'catalogue.json';

export interface TemplateCatalogue<T> {
  /** every template file of the folder (`<name>.yaml`, answers examples aside) and its SHA-256 */
  files: Record<string, string>;
  /** one entry a template, in the parser's order */
  templates: T[];
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** The template files of a folder, sorted: `<name>.yaml` but not `<name>.answers.yaml`. */
function templateFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('.answers.yaml'))
    .sort();
}

/** The catalogue of the template files in `dir`, for what the parser made of them. */
export function templateCatalogue<T>(templates: T[], dir: string): TemplateCatalogue<T> {
  return { files: Object.fromEntries(templateFiles(dir).map((f) => [f, sha256(readFileSync(join(dir, f)))])), templates };
}

/**
 * The entries of `dir`'s catalogue, when there is one, it describes exactly the template files there and every entry
 * has the shape `isEntry` asks for; else undefined (the reader then asks the parser).
 */
export function readCatalogueEntries<T>(dir: string, isEntry: (entry: unknown) => entry is T): T[] | undefined {
  try {
    const catalogue = JSON.parse(readFileSync(join(dir, CATALOGUE_FILE), 'utf8')) as Partial<TemplateCatalogue<unknown>> | null;
    const { files, templates } = catalogue ?? {};
    if (typeof files !== 'object' || files === null || !Array.isArray(templates) || !templates.every(isEntry)) return undefined;
    const present = templateFiles(dir);
    if (present.length !== Object.keys(files).length) return undefined;
    if (present.some((f) => files[f] !== sha256(readFileSync(join(dir, f))))) return undefined;
    return templates;
  } catch {
    return undefined; // no catalogue (from source), or one that cannot be read: the parser answers
  }
}
