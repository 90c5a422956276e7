import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, parseDocument, Scalar, type YAMLMap } from 'yaml';
import { getTemplate } from '../../../main/ceremony';
import { templatesDirectory } from '../../../main/ceremony/templates';

// Every template opens the same way: a comment whose first line is `# <title> — <what the ceremony does>` (more
// comment lines may follow), then `metadata:` with id (the file's name), title, description, rehearsal (only where
// set) and a quoted version, in that order. The title in the comment is the one metadata gives for the defaults.

const ORDER = ['id', 'title', 'description', 'rehearsal', 'version'];

export function headerProblems(name: string, text: string, expandedTitle?: string): string[] {
  const problems: string[] = [];
  const lines = text.split('\n');
  const first = /^# (.+?) — \S/.exec(lines[0]);
  if (!first) problems.push(`${name}: the first line is not "# <title> — <what it does>"`);
  const end = lines.findIndex((l) => !l.startsWith('#'));
  if (lines[end] !== 'metadata:') problems.push(`${name}: the header comment is not followed by "metadata:"`);
  const root = parseDocument(text).contents as YAMLMap;
  const metadata = root?.get('metadata', true);
  if (!isMap(metadata)) return [...problems, `${name}: no metadata mapping`];
  const keys = metadata.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '?'));
  const expected = ORDER.filter((k) => keys.includes(k) || k !== 'rehearsal');
  if (keys.join(',') !== expected.join(',')) problems.push(`${name}: metadata holds ${keys.join(', ')}; expected ${expected.join(', ')}`);
  if (metadata.get('id') !== name) problems.push(`${name}: metadata.id is ${String(metadata.get('id'))}`);
  const version = metadata.get('version', true);
  if (!isScalar(version) || typeof version.value !== 'string' || version.type === Scalar.PLAIN) problems.push(`${name}: version is not a quoted text`);
  const title = String(metadata.get('title'));
  if (first && expandedTitle !== undefined && !title.includes('${') && first[1] !== expandedTitle)
    problems.push(`${name}: the comment names "${first[1]}", metadata.title is "${expandedTitle}"`);
  return problems;
}

describe('template headers: one form', () => {
  const files = readdirSync(templatesDirectory()).filter((f) => f.endsWith('.yaml') && !f.endsWith('.answers.yaml'));

  it('every template opens with "# <title> — …" and metadata in the same order', () => {
    expect(files).toHaveLength(17);
    const problems = files.flatMap((f) => {
      const name = f.replace(/\.yaml$/, '');
      return headerProblems(name, readFileSync(join(templatesDirectory(), f), 'utf8'), getTemplate(name)!.script.metadata.title);
    });
    expect(problems).toEqual([]);
  });

  it('names a planted header in another form', () => {
    const good = "# Key rotation — a new key.\nmetadata:\n  id: key-rotation\n  title: Key rotation\n  description: D\n  version: '1'\n";
    expect(headerProblems('key-rotation', good, 'Key rotation')).toEqual([]);
    expect(headerProblems('key-rotation', good.replace('# Key rotation — a new key.', '# Key rotation ceremony: a new key.'), 'Key rotation')).toEqual([
      'key-rotation: the first line is not "# <title> — <what it does>"',
    ]);
    expect(headerProblems('key-rotation', good.replace('# Key rotation —', '# Rotation —'), 'Key rotation')).toEqual([
      'key-rotation: the comment names "Rotation", metadata.title is "Key rotation"',
    ]);
    expect(headerProblems('key-rotation', good.replace("  version: '1'\n", '').replace('  id: key-rotation\n', '  id: key-rotation\n  version: 1\n'))).toEqual([
      'key-rotation: metadata holds id, version, title, description; expected id, title, description, version',
      'key-rotation: version is not a quoted text',
    ]);
  });
});
