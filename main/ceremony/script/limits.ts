import { isCollection, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';

// Limits for every file a person hands Custodian (scripts, templates, answers files). Each is checked before the
// file's content is used, without recursion, so a hostile or broken file gets a precise refusal and never a stack
// overflow or an exhausted heap.

export const LIMITS = {
  /** bytes of one script or answers file */
  fileBytes: 1024 * 1024,
  /** mappings and lists inside one another */
  depth: 32,
  /** characters of a step, device, participant or parameter id */
  idLength: 64,
  /** characters of a title or label */
  titleLength: 200,
  /** characters of a text read aloud, a description, a parameter value */
  textLength: 10_000,
  /** steps after expansion */
  steps: 2_000,
  /** list items one repeat may produce, and values in the whole expanded file */
  repeatItems: 1_000,
  expandedNodes: 200_000,
} as const;

/** A problem found before the file's structure is read: what it is, and where (line 0 for the whole file). */
export interface LimitIssue {
  line: number;
  column: number;
  message: string;
}

// C0 controls except tab, line feed and carriage return; DEL; C1 controls
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Size, emptiness, binary content and control characters of a file's raw text. */
export function checkRawText(text: string, what: string): LimitIssue | undefined {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > LIMITS.fileBytes) {
    return { line: 0, column: 0, message: `the ${what} is ${bytes} bytes; at most ${LIMITS.fileBytes} bytes (1 MiB) are accepted` };
  }
  if (text.replace(/^\uFEFF/, '').trim() === '' || /^(\s*#[^\n]*\n?)*\s*$/.test(text)) {
    return { line: 0, column: 0, message: `the ${what} is empty` };
  }
  const sample = text.slice(0, 4096);
  let odd = 0;
  for (const ch of sample) if (ch === '\uFFFD' || CONTROL.test(ch)) odd++;
  if (sample.includes('\u0000') && odd * 20 > sample.length) {
    return { line: 0, column: 0, message: `the ${what} is a binary file, not text` };
  }
  if (odd * 10 > sample.length) return { line: 0, column: 0, message: `the ${what} is a binary file, not text` };
  const control = CONTROL.exec(text);
  if (control) {
    const before = text.slice(0, control.index);
    const line = before.split('\n').length;
    const column = control.index - before.lastIndexOf('\n');
    return { line, column, message: `control character ${codePoint(control[0])} is not allowed in the ${what}` };
  }
  return undefined;
}

/** The control character a value holds, as U+XXXX, if any (escapes such as "\0" in quoted YAML strings). */
export function controlCharacterIn(value: string): string | undefined {
  const found = CONTROL.exec(value);
  return found ? codePoint(found[0]) : undefined;
}

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The first node nested deeper than the limit, walking the document's nodes with an explicit stack: the answer
 * comes before anything recursive (toJS, the schema) sees the document.
 */
export function tooDeep(root: unknown, limit: number = LIMITS.depth): Node | undefined {
  const stack: [unknown, number][] = [[root, 0]];
  let visited = 0;
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (++visited > LIMITS.expandedNodes * 2) return undefined;
    if (isPair(node)) {
      stack.push([node.value, depth]);
      continue;
    }
    if (!isCollection(node)) continue;
    if (depth >= limit) return node;
    for (const item of node.items) stack.push([item, depth + 1]);
  }
  return undefined;
}

/** What a document's top level is, in words, when it is not a mapping. */
export function describeTopLevel(contents: unknown): string | undefined {
  if (contents === null || contents === undefined) return 'holds nothing';
  if (isScalar(contents)) {
    if (contents.value === null) return 'holds nothing';
    return `holds a single ${typeof contents.value === 'string' ? 'text' : String(typeof contents.value)} value, not a mapping`;
  }
  if (isSeq(contents)) return 'holds a list at the top level, not a mapping';
  if (!isMap(contents)) return 'is not a mapping';
  return undefined;
}
