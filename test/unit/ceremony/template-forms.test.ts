import { describe, expect, it } from 'vitest';
import { getTemplate, listTemplates, templateForms } from '../../../main/ceremony';
import { TEMPLATE_NAMES } from '../../../main/ceremony/templates';

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
