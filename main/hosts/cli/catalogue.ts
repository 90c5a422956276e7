// What `custodian templates` reads of the built catalogue (main/catalogue): the list, from the templates folder
// beside the running bundle. This module and main/catalogue import nothing but Node's own and types.
import { fileURLToPath } from 'node:url';
import { readCatalogueEntries } from '../../catalogue';
import type { TemplateSummary } from '../../ceremony';

export { CATALOGUE_FILE, templateCatalogue } from '../../catalogue';

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
  return readCatalogueEntries(dir, isSummary)?.map(({ name, title, description, rehearsal }) => ({
    name,
    title,
    ...(description === undefined ? {} : { description }),
    rehearsal,
  }));
}
