import { createHash } from 'node:crypto';
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { CeremonyScriptSchema, type CeremonyScript } from './model';
import { checkScriptSemantics } from './semantics';

export interface ScriptIssue {
  /** dotted path of the offending field, e.g. steps.3.confirm.custodians */
  path: string;
  /** 1-based line and column in the script text (0 when the problem is the whole document) */
  line: number;
  column: number;
  message: string;
}

export class ScriptError extends Error {
  readonly code = 'ScriptInvalid';
  constructor(readonly issues: ScriptIssue[]) {
    super(issues.map((i) => `line ${i.line}: ${i.path ? i.path + ': ' : ''}${i.message}`).join('\n'));
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
  const { value: script, locate: where } = parseStrictYaml(text, CeremonyScriptSchema);
  const semantic = checkScriptSemantics(script, options.knownActions);
  if (semantic.length > 0) {
    throw new ScriptError(semantic.map((s) => ({ path: s.path.join('.'), ...where(s.path), message: s.message })));
  }
  return { script, text, sha256: createHash('sha256').update(text, 'utf8').digest('hex') };
}

/**
 * YAML/JSON text checked against a zod schema, with every problem reported at its line. Also returns a
 * locator, so later checks (cross-references) can report lines too.
 */
export function parseStrictYaml<S extends z.ZodType>(
  text: string,
  schema: S,
): { value: z.output<S>; locate: (path: (string | number)[]) => { line: number; column: number } } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (doc.errors.length > 0) {
    throw new ScriptError(doc.errors.map((e) => ({ path: '', ...position(e.pos[0]), message: e.message.split('\n')[0] })));
  }
  const result = schema.safeParse(doc.toJS());
  if (!result.success) throw new ScriptError(result.error.issues.flatMap((issue) => issueToScriptIssues(issue, doc, position)));
  return { value: result.data, locate: (path) => locate(doc, path, position) };
}

type Position = (offset: number) => { line: number; column: number };

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
  } else if (issue.code === 'invalid_type' && issue.input === undefined) {
    message = `missing required field "${String(path[path.length - 1])}"`;
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
