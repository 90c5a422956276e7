import { bundledTemplatesDirectory, readTemplateCatalogue } from '../catalogue';
import type { CliCommand } from '../io';

/**
 * `custodian templates`: the built-in ceremony templates. The built CLI reads the catalogue written beside its
 * template files at build time (main/hosts/cli/catalogue.ts); without one that matches them, the full parser lists
 * them — the same names, titles and descriptions in the same order.
 */
export const templatesCommand: CliCommand = async (_args, io) => {
  const templates = readTemplateCatalogue(bundledTemplatesDirectory()) ?? (await import('../../../ceremony')).listTemplates();
  for (const t of templates) io.out(`${t.name.padEnd(20)} ${t.title}${t.description ? ` — ${t.description}` : ''}`);
  return 0;
};
