import { appendFileSync, copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CATALOGUE_FILE, templateCatalogue } from '../../../main/catalogue';
import { getTemplate, listTemplates, templateForms } from '../../../main/ceremony';
import { catalogueForms, TEMPLATE_NAMES, templatesDirectory } from '../../../main/ceremony/templates';
import { ensureBuilt, NODE_OUT } from '../../../scripts/build.js';

// The list and the new-ceremony form read only each template's metadata and parameters sections; these tests hold
// them to what parsing the whole template (every step) says, so the shortcut can never show another form.
describe('the template forms, read from the head of each file', () => {
  const forms = templateForms();

  it('name every template, in the list’s order', () => {
    expect(forms.map((f) => f.name)).toEqual([...TEMPLATE_NAMES]);
    expect(listTemplates()).toEqual(forms.map(({ parameters: _, ...summary }) => summary));
  });

  for (const name of TEMPLATE_NAMES) {
    it(`${name}: title, description and parameters as the full parse has them`, () => {
      const full = getTemplate(name)!.script;
      const form = forms.find((f) => f.name === name)!;
      expect(form.title).toBe(full.metadata.title);
      expect(form.description).toBe(full.metadata.description);
      expect(form.rehearsal).toBe(full.metadata.rehearsal === true);
      expect(form.parameters).toEqual(full.parameters);
    });
  }

  it('hand out copies: changing one does not change the next', () => {
    const first = templateForms()[1];
    const name = Object.keys(first.parameters)[0];
    expect(name).toBeTruthy();
    first.parameters[name].description = 'changed';
    expect(templateForms()[1].parameters[name].description).not.toBe('changed');
  });
});

describe('the template forms a built program reads from the catalogue', () => {
  beforeAll(async () => {
    await ensureBuilt(['node']);
  }, 180_000);

  it('the build’s catalogue gives exactly the parser’s forms, parameters included', () => {
    expect(templatesDirectory()).not.toBe(join(NODE_OUT, 'templates')); // this process parses its own
    expect(catalogueForms(join(NODE_OUT, 'templates'))).toEqual(templateForms());
  });

  let dir: string;
  const SOURCE = templatesDirectory();
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'custodian-forms-'));
    for (const f of readdirSync(SOURCE).filter((f) => f.endsWith('.yaml'))) copyFileSync(join(SOURCE, f), join(dir, f));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (forms: unknown[]) => writeFileSync(join(dir, CATALOGUE_FILE), JSON.stringify(templateCatalogue(forms, dir)));

  it('what the catalogue says is what is read, with no parse (a title planted in it shows)', () => {
    write(templateForms().map((f) => (f.name === 'backup' ? { ...f, title: 'Planted title' } : f)));
    expect(catalogueForms(dir)?.find((f) => f.name === 'backup')?.title).toBe('Planted title');
  });

  it('refused once a template file changed, when a template is missing from it, or a parameter is malformed', () => {
    write(templateForms());
    expect(catalogueForms(dir)).toEqual(templateForms());
    appendFileSync(join(dir, 'restore.yaml'), '\n# edited\n');
    expect(catalogueForms(dir)).toBeUndefined();
    copyFileSync(join(SOURCE, 'restore.yaml'), join(dir, 'restore.yaml'));
    write(templateForms().slice(1));
    expect(catalogueForms(dir)).toBeUndefined();
    write(templateForms().map((f, i) => (i === 1 ? { ...f, parameters: { custodians: { type: 'number of people' } } } : f)));
    expect(catalogueForms(dir)).toBeUndefined();
  });
});
