import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { expandTemplate } from '../../../main/ceremony';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templatesDirectory } from '../../../main/ceremony/templates';
import { refusalOf } from './fixtures';

// LANGUAGE.md: one substitution form, `${…}`. An expression is filled when the template is expanded; a reference to
// steps., ceremony. or parameters. alone is left for the run. The retired `$(…)` form is refused with its line.

const head = (extra: string) => `metadata: { id: t, title: T, version: '1' }
parameters:
  custodians: { type: integer, default: 5, min: 2, max: 16 }
  label: { type: string, default: Rehearsal }
${extra}`;

const refusal = (source: string): string => refusalOf(() => expandTemplate(source), 'the template was expanded').message;

describe('template substitution: one form', () => {
  it('fills expressions when expanding, with their type, and leaves run-time references as written', () => {
    const expanded = expandTemplate(
      head(`roles:
  custodians: { count: "\${custodians}", threshold: "\${custodians - 2}" }
steps:
  - id: s
    title: Share \${custodians + 1} for token \${parameters.label} at \${steps.x.result.label}
    to: "custodian-\${custodians}"
`),
      { custodians: 4 },
    );
    const js = parse(expanded.text) as { roles: { custodians: { count: unknown; threshold: unknown } }; steps: { title: string; to: string }[] };
    expect(js.roles.custodians).toEqual({ count: 4, threshold: 2 });
    expect(js.steps[0].title).toBe('Share 5 for token ${parameters.label} at ${steps.x.result.label}');
    // the quotes a flow collection needs around `${…}` are the template's: the value is written plain
    expect(expanded.text).toContain('to: custodian-4');
    expect(expanded.text).toContain('count: 4');
  });

  it('refuses the retired $(…) form with the line and the form to write instead', () => {
    const source = head(`steps:
  - id: s
    title: Split into $(custodians) shares
`);
    expect(refusal(source)).toBe('line 7: steps.0.title: "$(custodians)" is the retired form; write "${custodians}"');
  });

  it('names the line of the retired form inside a folded text, and keeps nested parentheses', () => {
    const source = head(`steps:
  - id: s
    text: >-
      First line without anything.
      Then $(max(custodians, 3)) custodians.
`);
    expect(refusal(source)).toBe('line 9: steps.0.text: "$(max(custodians, 3))" is the retired form; write "${max(custodians, 3)}"');
  });

  it('refuses the retired form in a parameter default and in let', () => {
    expect(refusal(head('let:\n  n: $(custodians)\n'))).toBe('line 6: let.n: "$(custodians)" is the retired form; write "${custodians}"');
    const defaults = `metadata: { id: t, title: T, version: '1' }
parameters:
  custodians: { type: integer, default: 5, min: 2, max: 16 }
  threshold: { type: integer, default: $(custodians), min: 2, max: 16 }
`;
    expect(refusal(defaults)).toBe('line 4: parameters.threshold.default: "$(custodians)" is the retired form; write "${custodians}"');
  });

  it('writes $$( as a literal $(', () => {
    const js = parse(expandTemplate(head('steps:\n  - id: s\n    title: run $$(date) now\n')).text) as { steps: { title: string }[] };
    expect(js.steps[0].title).toBe('run $(date) now');
  });

  it('no built-in template or answers example uses the retired form', () => {
    const files = readdirSync(templatesDirectory()).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(30);
    for (const f of files)
      expect([
        f,
        readFileSync(join(templatesDirectory(), f), 'utf8')
          .replace(/\$\$\(/g, '')
          .includes('$('),
      ]).toEqual([f, false]);
  });
});
