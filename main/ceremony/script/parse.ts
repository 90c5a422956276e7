import { createHash } from 'node:crypto';
import { isMap, isPair, isScalar, Lexer, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { checkRawText, controlCharacterIn, describeTopLevel, LIMITS, tooDeep } from './limits';
import type { z } from 'zod';
import { CeremonyScriptSchema, INTEGER_EXPECTED, type CeremonyScript } from './model';
import { fillRoleReferences } from './roles-references';
import { checkScriptSemantics } from './semantics';
import { CustodianError } from '../../errors';

export interface ScriptIssue {
  /** dotted path of the offending field, e.g. steps.3.confirm.custodians */
  path: string;
  /** 1-based line and column in the script text (0 when the problem is the whole document) */
  line: number;
  column: number;
  message: string;
}

export class ScriptError extends CustodianError<'ScriptInvalid'> {
  constructor(readonly issues: ScriptIssue[]) {
    super('ScriptInvalid', issues.map((i) => `line ${i.line}: ${i.path ? i.path + ': ' : ''}${i.message}`).join('\n'));
    this.name = 'ScriptError';
  }
}

export interface ParsedScript {
  script: CeremonyScript;
  /** the text exactly as given: what the journal's first event hashes */
  text: string;
  sha256: string;
}

export interface ParseScriptOptions {
  /** when given, every action step (and print.<document>) must name a registered action */
  knownActions?: (name: string) => boolean;
}

/**
 * Parses a ceremony script (YAML, or JSON, which YAML reads the same way) strictly: syntax errors,
 * unknown or misspelt fields, wrong types and broken references all become ScriptIssues with the line
 * they are on, and the whole list is thrown as one ScriptError — the script is checked before any HSM
 * is touched.
 */
export function parseScript(text: string, options: ParseScriptOptions = {}): ParsedScript {
  const { doc, position } = readDocument(text, 'script');
  const script = checkScript(doc, position, options);
  return { script, text, sha256: createHash('sha256').update(text, 'utf8').digest('hex') };
}

/** The schema and the cross-reference checks of a script document, every problem at its line. */
export function checkScript(doc: Document, position: Position, options: ParseScriptOptions = {}): CeremonyScript {
  const { value: script, locate: where } = checkDocument(doc, CeremonyScriptSchema, position);
  const semantic = [...fillRoleReferences(script), ...checkScriptSemantics(script, options.knownActions)];
  if (semantic.length > 0) {
    throw new ScriptError(semantic.slice(0, 50).map((s) => ({ path: s.path.join('.'), ...where(s.path), message: s.message })));
  }
  return script;
}

/**
 * YAML/JSON text checked against a zod schema, with every problem reported at its line. Also returns a
 * locator, so later checks (cross-references) can report lines too. The raw text is checked first (size, empty,
 * binary, control characters, nesting depth: limits.ts), so no input reaches a recursive step unchecked.
 */
export function parseStrictYaml<S extends z.ZodType>(
  text: string,
  schema: S,
  what = 'script',
): { value: z.output<S>; locate: (path: (string | number)[]) => { line: number; column: number } } {
  const { doc, position } = readDocument(text, what);
  return checkDocument(doc, schema, position);
}

/** Parses the raw text after the limits' checks: the document and its line positions. */
export function readDocument(text: string, what: string): { doc: Document; position: Position } {
  const raw = checkRawText(text, what);
  if (raw) throw new ScriptError([{ path: '', ...raw }]);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (doc.errors.length > 0) {
    // the parser composes nested values recursively and reports an overflow as an error: say what it means, and where
    const flow = doc.errors.some((e) => /call stack/i.test(e.message)) ? flowTooDeep(text) : 0;
    if (flow)
      throw new ScriptError([{ path: '', line: flow, column: 0, message: `the ${what} nests lists and mappings more than ${LIMITS.depth} levels deep` }]);
    throw new ScriptError(doc.errors.slice(0, 20).map((e) => ({ path: '', ...position(e.pos[0]), message: e.message.split('\n')[0] })));
  }
  try {
    doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // an alias whose anchor comes later, or aliases that multiply beyond the limit
    throw new ScriptError([{ path: '', line: 0, column: 0, message: `the ${what} cannot be read: ${(error as Error).message}` }]);
  }
  const top = describeTopLevel(doc.contents);
  if (top) throw new ScriptError([{ path: '', line: 1, column: 1, message: `the ${what} ${top}` }]);
  const deep = tooDeep(doc.contents);
  if (deep) {
    const where = deep.range ? position(deep.range[0]) : { line: 0, column: 0 };
    throw new ScriptError([{ path: '', ...where, message: `the ${what} nests lists and mappings more than ${LIMITS.depth} levels deep` }]);
  }
  return { doc, position };
}

/**
 * The line where [ and { nest deeper than the limit, from the YAML lexer's tokens (no recursion, quotes respected);
 * 0 when the nesting is within the limit.
 */
function flowTooDeep(text: string): number {
  let depth = 0;
  let line = 1;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') {
      if (++depth > LIMITS.depth) return line;
    } else if (token === ']' || token === '}') depth = Math.max(0, depth - 1);
    else if (token.includes('\n')) line += token.split('\n').length - 1;
  }
  return 0;
}

/** A parsed (or expanded) document checked against a schema; lines come from the nodes' ranges in the source. */
export function checkDocument<S extends z.ZodType>(
  doc: Document,
  schema: S,
  position: Position,
): { value: z.output<S>; locate: (path: (string | number)[]) => { line: number; column: number } } {
  const js: unknown = doc.toJS({ maxAliasCount: 100 });
  const control = controlCharacters(js);
  if (control.length > 0) {
    throw new ScriptError(
      control.map(({ path, code }) => ({ path: path.join('.'), ...locate(doc, path, position), message: `control character ${code} is not allowed in text` })),
    );
  }
  const result = schema.safeParse(js);
  if (!result.success) {
    throw new ScriptError(result.error.issues.slice(0, 50).flatMap((issue) => issueToScriptIssues(issue, doc, position)));
  }
  return { value: result.data, locate: (path) => locate(doc, path, position) };
}

/** Strings holding control characters (a "\0" escape in a quoted title…), found without recursion. */
function controlCharacters(root: unknown): { path: (string | number)[]; code: string }[] {
  const found: { path: (string | number)[]; code: string }[] = [];
  const stack: [unknown, (string | number)[]][] = [[root, []]];
  while (stack.length > 0 && found.length < 20) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      const code = controlCharacterIn(value);
      if (code) found.push({ path, code });
    } else if (Array.isArray(value)) value.forEach((v, i) => stack.push([v, [...path, i]]));
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const code = controlCharacterIn(k);
        if (code) found.push({ path: [...path, k], code });
        stack.push([v, [...path, k]]);
      }
    }
  }
  return found;
}

export type Position = (offset: number) => { line: number; column: number };

function issueToScriptIssues(issue: z.core.$ZodIssue, doc: Document, position: Position): ScriptIssue[] {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const container = doc.getIn(path, true) as Node | undefined;
      let where = locate(doc, path, position);
      if (isMap(container)) {
        const pair = container.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
        const keyNode = pair?.key as Node | undefined;
        if (keyNode?.range) where = position(keyNode.range[0]);
      }
      const inside = path.length > 0 ? ` in ${path.join('.')}` : ' at the top level';
      return { path: [...path, key].join('.'), ...where, message: `unknown field "${key}"${inside}` };
    });
  }
  let message = issue.message;
  if (issue.code === 'invalid_union' && 'discriminator' in issue) {
    message = `unknown ${String(issue.discriminator)}; expected one of ${(issue as { options?: unknown[] }).options?.join(', ')}`;
  } else if (issue.code === 'invalid_type') {
    message = typeMessage(issue.message === INTEGER_EXPECTED ? 'int' : issue.expected, path, doc);
  } else if (issue.code === 'too_big' || issue.code === 'too_small') {
    message = `${fieldLabel(path)}: ${issue.message.replace(/^Too (big|small): expected \w+ to (have|be) /, '').replace(/^Too (big|small): expected /, '')}`;
  }
  return [{ path: path.join('.'), ...locate(doc, path, position), message }];
}

/** The line of the deepest node that exists along the path (a missing field points at its parent). */
function locate(doc: Document, path: (string | number)[], position: Position): { line: number; column: number } {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = (depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true)) as Node | null | undefined;
    if (node && node.range) {
      // point at the key of a map entry rather than its value, where we can
      if (depth > 0) {
        const parent = (depth === 1 ? doc.contents : doc.getIn(path.slice(0, depth - 1), true)) as Node | undefined;
        if (isMap(parent)) {
          const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(path[depth - 1]));
          const keyNode = pair?.key as Node | undefined;
          if (keyNode?.range) return position(keyNode.range[0]);
        }
      }
      return position(node.range[0]);
    }
  }
  return { line: 0, column: 0 };
}

function fieldLabel(path: (string | number)[]): string {
  const last = path[path.length - 1];
  return last === undefined ? 'the file' : typeof last === 'number' ? `item ${last + 1} of ${String(path[path.length - 2] ?? 'the list')}` : last;
}

const EXPECTED: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'yes or no (true or false)',
  object: 'a mapping',
  array: 'a list',
  record: 'a mapping',
};

/** "count must be an integer, got a text" — what was expected and what the file holds there (never "missing" for a present value). */
function typeMessage(expected: string, path: (string | number)[], doc: Document): string {
  const node = (path.length === 0 ? doc.contents : doc.getIn(path, true)) as Node | undefined | null;
  const present = path.length === 0 || doc.hasIn(path);
  if (!present) return `missing required field "${String(path[path.length - 1])}"`;
  return `${fieldLabel(path)} must be ${EXPECTED[expected] ?? expected}, got ${describeNode(node)}`;
}

function describeNode(node: Node | undefined | null): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'nothing';
    if (typeof v === 'string') return 'a string';
    if (typeof v === 'boolean') return `${v}`;
    if (typeof v === 'number') {
      const source = node.source ?? String(v);
      if (!Number.isFinite(v)) return `${source} (too large a number)`;
      return Number.isInteger(v) ? source : `the fraction ${source}`;
    }
    return typeof v;
  }
  return 'items' in node ? 'a list' : 'something else';
}
