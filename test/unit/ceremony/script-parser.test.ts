import { describe, expect, it } from 'vitest';
import { parseScript, getTemplate } from '../../../main/ceremony';
import { refusalOf, scriptHead } from './fixtures';

const base = `${scriptHead('strict', 'Strict parsing')}steps:
  - id: hello
    kind: announce
    title: Hello
    text: Hello everyone
`;

const issuesOf = (text: string) => refusalOf(() => parseScript(text), 'the script was accepted').issues;

describe('ceremony script parser', () => {
  it('accepts a valid script and hashes its exact text', () => {
    const parsed = parseScript(base);
    expect(parsed.script.roles.custodians?.threshold).toBe(2);
    expect(parsed.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(parseScript(base + '\n').sha256).not.toBe(parsed.sha256);
  });

  it('names a misspelt field and its line', () => {
    const text = base.replace('    threshold: 2', '    threshhold: 2');
    const issues = issuesOf(text);
    const unknown = issues.find((i) => i.message.includes('threshhold'));
    expect(unknown).toMatchObject({ path: 'roles.custodians.threshhold', line: 8 });
    expect(issues.some((i) => i.path === 'roles.custodians.threshold' && /missing/.test(i.message))).toBe(true);
  });

  it('names an unknown field in a step with the step’s line, and an unknown step kind', () => {
    const text =
      base +
      `  - id: sign\n    kind: action\n    title: Sign\n    action: demo.roll-dice\n    aprove:\n      custodians: 2\n  - id: odd\n    kind: dance\n    title: Odd\n`;
    const issues = issuesOf(text);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'steps.1.aprove', line: 20, message: expect.stringContaining('unknown field "aprove"') }),
        expect.objectContaining({ path: 'steps.2.kind', line: 23, message: expect.stringContaining('announce, confirm, input, action, show, reveal, print') }),
      ]),
    );
  });

  it('reads JSON with line numbers too', () => {
    const json = JSON.stringify(
      {
        metadata: { id: 'j', title: 'J', colour: 'red' },
        roles: { administrator: {}, witnesses: { count: 1 } },
        steps: [{ id: 'a', kind: 'announce', title: 'A', text: 'A' }],
      },
      null,
      2,
    );
    const issues = issuesOf(json);
    expect(issues[0]).toMatchObject({ path: 'metadata.colour', line: 5 });
  });

  it('checks cross-references: quorum larger than the role, unknown participant, reveal from a non-action, duplicate ids', () => {
    const text =
      base +
      `  - id: approve\n    kind: confirm\n    title: Approve\n    quorum: { custodians: 4 }\n  - id: hello\n    kind: reveal\n    title: Reveal\n    secret: { step: approve, key: x }\n    to: custodian-7\n`;
    const messages = issuesOf(text).map((i) => `${i.line} ${i.path} ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^19 steps\.1\.quorum\.custodians asks for 4 but the script has 3/),
        expect.stringMatching(/steps\.2\.id step id "hello" is used twice/),
        expect.stringMatching(/steps\.2\.secret\.step step "approve" is not an action step/),
        expect.stringMatching(/steps\.2\.to no participant "custodian-7"/),
      ]),
    );
  });

  it('reports YAML syntax errors and duplicate keys with their line', () => {
    expect(issuesOf(base.replace('  title: Strict parsing', '  title: Strict parsing\n  title: again'))[0].line).toBe(4);
    expect(issuesOf('metadata: [unclosed\n')[0].line).toBeGreaterThan(0);
  });

  it('refuses references to later steps and unknown parameters', () => {
    const text =
      base +
      `  - id: show\n    kind: show\n    title: Show\n    value: \${steps.later.result.x} \${parameters.nope}\n  - id: later\n    kind: announce\n    title: L\n    text: L\n`;
    const messages = issuesOf(text).map((i) => i.message);
    expect(messages).toEqual(expect.arrayContaining([expect.stringContaining('does not name an earlier step'), 'no parameter "nope"']));
  });

  it('parses the built-in demo template', () => {
    const template = getTemplate('dry-run-demo')!;
    const kinds = new Set(template.script.steps.map((s) => s.kind));
    expect([...kinds].sort()).toEqual(['action', 'announce', 'confirm', 'input', 'print', 'reveal', 'show']);
  });
});
