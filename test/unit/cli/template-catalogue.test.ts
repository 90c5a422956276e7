// The catalogue `custodian templates` prints from (main/hosts/cli/catalogue.ts): written at build time beside the
// bundle's template files, it must say what the full parser says of them, and be refused as soon as it does not
// describe the files beside it any more (a template added, changed or removed since the build).
import { appendFileSync, copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBuilt, isStale, NODE_OUT, ROOT } from '../../../scripts/build.js';
import { listTemplates, templatesDirectory } from '../../../main/ceremony';
import { CATALOGUE_FILE, readTemplateCatalogue, templateCatalogue } from '../../../main/hosts/cli/catalogue';

const SOURCE = join(ROOT, 'main', 'ceremony', 'templates');

describe('the catalogue the build writes', () => {
  beforeAll(async () => {
    await ensureBuilt(['node']);
  }, 180_000);

  it('lists what the full parser lists: the same names, titles and descriptions, in the same order', () => {
    const parsed = listTemplates();
    expect(parsed.length).toBeGreaterThan(10);
    expect(templatesDirectory()).toBe(SOURCE); // from source, the parser reads the repository's files
    const built = readTemplateCatalogue(join(NODE_OUT, 'templates'));
    expect(built).toEqual(parsed);
    expect(built!.map((t) => [t.name, t.title, t.description])).toEqual(parsed.map((t) => [t.name, t.title, t.description]));
    // titles and descriptions are expanded for the defaults, as the parser does: no template construct is left
    expect(built!.find((t) => t.name === 'pin-change')?.title).toBe('User PIN change');
    expect(built!.find((t) => t.name === 'backup')?.description).toContain('3-of-5');
    for (const t of built!) expect(`${t.title} ${t.description ?? ''}`).not.toMatch(/\$[({]/);
  });

  it('describes every template file of the source folder (the build copies them byte for byte)', () => {
    const catalogue = JSON.parse(readFileSync(join(NODE_OUT, 'templates', CATALOGUE_FILE), 'utf8')) as { files: Record<string, string> };
    const sources = readdirSync(SOURCE).filter((f) => f.endsWith('.yaml') && !f.endsWith('.answers.yaml'));
    expect(Object.keys(catalogue.files).sort()).toEqual(sources.sort());
  });

  it('is rebuilt when a template file is newer than the build', () => {
    expect(isStale('node')).toBe(false);
    const file = join(SOURCE, 'backup.yaml');
    const { atime, mtime } = statSync(file);
    try {
      utimesSync(file, atime, new Date(statSync(join(NODE_OUT, 'build-stamp.json')).mtimeMs + 60_000)); // as if edited after the build
      expect(isStale('node')).toBe(true);
    } finally {
      utimesSync(file, atime, mtime);
    }
    expect(isStale('node')).toBe(false);
  });
});

describe('a catalogue is used only for the files it describes', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'custodian-catalogue-'));
    for (const f of readdirSync(SOURCE).filter((f) => f.endsWith('.yaml'))) copyFileSync(join(SOURCE, f), join(dir, f));
    writeFileSync(join(dir, CATALOGUE_FILE), JSON.stringify(templateCatalogue(listTemplates(), dir)));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('as written, it gives the parser’s list', () => {
    expect(readTemplateCatalogue(dir)).toEqual(listTemplates());
  });

  it('a template added to the folder since: refused (the parser is asked instead)', () => {
    writeFileSync(join(dir, 'new-ceremony.yaml'), readFileSync(join(SOURCE, 'dry-run-demo.yaml')));
    expect(readTemplateCatalogue(dir)).toBeUndefined();
  });

  it('a template changed, or removed: refused', () => {
    appendFileSync(join(dir, 'backup.yaml'), '\n# edited\n');
    expect(readTemplateCatalogue(dir)).toBeUndefined();
    copyFileSync(join(SOURCE, 'backup.yaml'), join(dir, 'backup.yaml'));
    expect(readTemplateCatalogue(dir)).toEqual(listTemplates());
    rmSync(join(dir, 'restore.yaml'));
    expect(readTemplateCatalogue(dir)).toBeUndefined();
  });

  it('an answers example changed: still used (the list does not read them)', () => {
    appendFileSync(join(dir, 'backup.answers.yaml'), '\n# edited\n');
    expect(readTemplateCatalogue(dir)).toEqual(listTemplates());
  });

  it('no catalogue, a damaged one, or one of another shape: refused', () => {
    const good = readFileSync(join(dir, CATALOGUE_FILE), 'utf8');
    writeFileSync(join(dir, CATALOGUE_FILE), good.slice(0, good.length / 2));
    expect(readTemplateCatalogue(dir)).toBeUndefined();
    const { files, templates } = JSON.parse(good) as { files: Record<string, string>; templates: Array<Record<string, unknown>> };
    writeFileSync(join(dir, CATALOGUE_FILE), JSON.stringify({ files, templates: templates.map((t) => ({ ...t, title: 7 })) }));
    expect(readTemplateCatalogue(dir)).toBeUndefined();
    writeFileSync(join(dir, CATALOGUE_FILE), JSON.stringify({ templates }));
    expect(readTemplateCatalogue(dir)).toBeUndefined();
    rmSync(join(dir, CATALOGUE_FILE));
    expect(readTemplateCatalogue(dir)).toBeUndefined();
    expect(readTemplateCatalogue(join(dir, 'no-such-folder'))).toBeUndefined();
  });
});
