import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answersExample, getTemplate, JOURNAL_FILE, parseAnswers, parseScript, runScript, ScriptError, type ScriptIssue } from '../../../main/ceremony';
import { demo, scriptHead, tempDir } from './fixtures';

// Every malformed input the issue lists (#14 item 5), each with the precise refusal it gets.

const base = `${scriptHead('limits', 'Limits')}parameters:
  dice:
    type: integer
    default: 3
    min: 1
    max: 100
steps:
  - id: hello
    kind: announce
    title: Hello
    text: Hello everyone
`;

function refusal(run: () => unknown): ScriptIssue[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ScriptError);
    return (error as ScriptError).issues;
  }
  throw new Error('the input was accepted');
}
const scriptIssues = (text: string) => refusal(() => parseScript(text));

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

describe('limits and type errors in scripts', () => {
  it('accepts the base script (so every refusal below is the change it makes)', () => {
    expect(parseScript(base).script.parameters.dice).toMatchObject({ min: 1, max: 100 });
  });

  it('a parameter default of 1000000000 is refused by its max, not run out of memory', () => {
    const issues = scriptIssues(base.replace('default: 3', 'default: 1000000000'));
    expect(issues).toEqual([expect.objectContaining({ path: 'parameters.dice.default', line: 14, message: 'default 1000000000 is more than max 100' })]);
  });

  it('custodians=1000000000 for a template is refused with the parameter and its maximum', () => {
    const issues = refusal(() => getTemplate('backup', { custodians: 1_000_000_000 }));
    expect(issues[0]).toMatchObject({ path: 'parameters.custodians', message: 'custodians must be at most 16; the value given is 1000000000' });
    expect(issues[0].line).toBeGreaterThan(0);
  });

  it('an integer parameter without min and max is refused', () => {
    const issues = scriptIssues(base.replace('    min: 1\n    max: 100\n', ''));
    expect(issues).toEqual([expect.objectContaining({ path: 'parameters.dice', line: 12, message: 'integer parameter "dice" needs both min and max' })]);
  });

  it('count: "three" is a type error, not a missing field', () => {
    const issues = scriptIssues(base.replace('count: 3', 'count: "three"'));
    expect(issues).toEqual([expect.objectContaining({ path: 'roles.custodians.count', line: 7, message: 'count must be an integer, got a string' })]);
  });

  it('count: 1e309 is a type error naming the number', () => {
    const issues = scriptIssues(base.replace('count: 3', 'count: 1e309'));
    expect(issues).toEqual([
      expect.objectContaining({ path: 'roles.custodians.count', line: 7, message: 'count must be an integer, got 1e309 (too large a number)' }),
    ]);
  });

  it('threshold: 1.5 is a type error naming the fraction', () => {
    const issues = scriptIssues(base.replace('threshold: 2', 'threshold: 1.5'));
    expect(issues).toEqual([
      expect.objectContaining({ path: 'roles.custodians.threshold', line: 8, message: 'threshold must be an integer, got the fraction 1.5' }),
    ]);
  });

  it('an empty file says it is empty', () => {
    expect(scriptIssues('')).toEqual([expect.objectContaining({ line: 0, message: 'the script is empty' })]);
    expect(scriptIssues('# only a comment\n\n')).toEqual([expect.objectContaining({ message: 'the script is empty' })]);
  });

  it('a binary file says it is binary', () => {
    const bytes = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919) % 256));
    expect(scriptIssues(bytes.toString('utf8'))).toEqual([expect.objectContaining({ message: 'the script is a binary file, not text' })]);
  });

  it('a top-level list says it is a list', () => {
    expect(scriptIssues('- id: a\n- id: b\n')).toEqual([
      expect.objectContaining({ line: 1, message: 'the script holds a list at the top level, not a mapping' }),
    ]);
    expect(scriptIssues('just a sentence\n')).toEqual([expect.objectContaining({ message: 'the script holds a single text value, not a mapping' })]);
  });

  it('100,000-level nesting is refused cleanly (flow and block), not a stack overflow', () => {
    const flow = `${base}extra: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    expect(scriptIssues(flow)[0].message).toBe('the script nests lists and mappings more than 32 levels deep');
    const block = Array.from({ length: 2_000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n';
    expect(scriptIssues(block)[0].message).toMatch(/more than 32 levels deep|1 MiB/);
  });

  it('a 100,000-character step id is refused by its length', () => {
    const issues = scriptIssues(base.replace('id: hello', `id: ${'a'.repeat(100_000)}`));
    expect(issues).toEqual([expect.objectContaining({ path: 'steps.0.id', line: 18, message: 'id: an id has at most 64 characters' })]);
  });

  it('a 10 MB description is refused by the file size', () => {
    const issues = scriptIssues(base.replace('title: Limits', `title: Limits\n  description: ${'x'.repeat(10 * 1024 * 1024)}`));
    expect(issues[0].message).toMatch(/^the script is 1048\d+ bytes; at most 1048576 bytes \(1 MiB\) are accepted$/);
  });

  it('a 20,000-character text (within the file size) is refused by the text limit', () => {
    const issues = scriptIssues(base.replace('text: Hello everyone', `text: ${'word '.repeat(4_000)}`));
    expect(issues).toEqual([expect.objectContaining({ path: 'steps.0.text', message: 'text: at most 10000 characters' })]);
  });

  it('a NUL byte in a title is refused at its line, written raw or escaped', () => {
    expect(scriptIssues(base.replace('title: Hello', 'title: Hel\u0000lo'))).toEqual([
      expect.objectContaining({ line: 20, column: 15, message: 'control character U+0000 is not allowed in the script' }),
    ]);
    expect(scriptIssues(base.replace('title: Hello', 'title: "Hel\\0lo"'))).toEqual([
      expect.objectContaining({ path: 'steps.0.title', line: 20, message: 'control character U+0000 is not allowed in text' }),
    ]);
  });
});

describe('answers files are checked completely before any journal exists', () => {
  const answers = () => answersExample('dry-run-demo')!;
  const answerIssues = (text: string) => refusal(() => parseAnswers(text, demo().script, { rehearsal: true }));

  it('the demo answers example passes (so each refusal below is its change)', () => {
    expect(parseAnswers(answers(), demo().script, { rehearsal: true }).checkIns).toHaveLength(5);
  });

  it('an unknown participant is refused with its line, and runScript creates no journal', async () => {
    const text = answers().replace('participant: custodian-3', 'participant: custodian-9');
    expect(answerIssues(text)[0]).toEqual(
      expect.objectContaining({ path: 'checkIns.3.participant', line: 17, message: expect.stringMatching(/^no participant "custodian-9" in this script/) }),
    );
    await expect(runScript(demo(), text, { dir, rehearsal: true })).rejects.toBeInstanceOf(ScriptError);
    expect(existsSync(join(dir, JOURNAL_FILE))).toBe(false);
  });

  it('a parameter of 1e11 through answers is refused by the parameter’s max', async () => {
    const text = answers().replace('rehearsal: true\n', 'rehearsal: true\nparameters:\n  dice: 100000000000\n');
    expect(answerIssues(text)).toEqual([expect.objectContaining({ path: 'parameters.dice', message: 'dice must be at most 100, got 100000000000' })]);
    await expect(runScript(demo(), text, { dir, rehearsal: true })).rejects.toBeInstanceOf(ScriptError);
    expect(existsSync(join(dir, JOURNAL_FILE))).toBe(false);
  });

  it('a value the step would refuse is refused here, naming the field and not the value', () => {
    const text = answers().replace(/rehearsalPin: ["']123456["']/, 'rehearsalPin: "12"');
    const issues = answerIssues(text);
    expect(issues).toEqual([expect.objectContaining({ path: 'steps.make-secret.input.values.rehearsalPin' })]);
    expect(issues[0].message).not.toContain('12"');
  });

  it('a confirmation by someone the quorum does not ask for is refused', () => {
    const text = answers().replace('  show-roll:\n    confirmations: [witness-1]', '  show-roll:\n    confirmations: [custodian-1]');
    expect(answerIssues(text)).toEqual([
      expect.objectContaining({ path: 'steps.show-roll.confirmations.0', message: '"custodian-1" is not among those who confirm step "show-roll"' }),
    ]);
  });

  it('an input by the wrong participant is refused', () => {
    const text = answers().replace(
      '    input:\n      by: custodian-1\n      values:\n        phrase',
      '    input:\n      by: witness-1\n      values:\n        phrase',
    );
    expect(answerIssues(text)).toEqual([
      expect.objectContaining({ path: 'steps.enter-phrase.input.by', message: 'step "enter-phrase" takes its input from custodian-1, not witness-1' }),
    ]);
  });

  it('count: "three" in an answers file is a type error too', () => {
    const text = answers().replace('rehearsal: true\n', 'rehearsal: "three"\n');
    expect(answerIssues(text)).toEqual([expect.objectContaining({ path: 'rehearsal', message: 'rehearsal must be yes or no (true or false), got a string' })]);
  });

  it('an empty, binary or list-shaped answers file says what it is', () => {
    expect(answerIssues('')[0].message).toBe('the answers file is empty');
    expect(answerIssues('- a\n- b\n')[0].message).toBe('the answers file holds a list at the top level, not a mapping');
    expect(answerIssues(Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 31) % 256)).toString('latin1'))[0].message).toBe(
      'the answers file is a binary file, not text',
    );
  });
});
