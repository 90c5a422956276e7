import { createHash } from 'node:crypto';
import { isMap, isScalar, isSeq, Scalar, type Document, type Node, type YAMLMap } from 'yaml';
import { Expansion, show, type Path } from './expand';
import { findExpressions, findRetired, type TemplateValue } from './expression';
import { checkScript, readDocument, ScriptError, type ParsedScript, type ParseScriptOptions, type Position, type ScriptIssue } from './parse';

// A template file is a ceremony script written with the constructs of LANGUAGE.md. Expanding it for a set of
// parameter values gives a plain script: the text `custodian template` prints, the engine runs and the journal hashes.

export interface ExpandedTemplate {
  /** the plain script (or answers file): no template constructs left */
  text: string;
  /** the expanded document; its nodes keep their ranges in the source, for messages with the source's lines */
  doc: Document;
  position: Position;
  /** every parameter's value: the one given, else the default */
  parameters: Record<string, TemplateValue>;
}

export interface ExpandOptions {
  /** what the file is, for messages */
  what?: string;
  /** names the expressions may use besides the parameters */
  names?: Record<string, TemplateValue>;
  /** values for the file's placeholders section (an answers example's rehearsal PINs…), instead of its defaults */
  placeholders?: Record<string, TemplateValue>;
  /** values from elsewhere (an answers example takes its template's); the file's own parameters section is then left as it is */
  parameterValues?: Record<string, TemplateValue>;
}

interface Declared {
  name: string;
  node: YAMLMap;
  type: string;
  value: TemplateValue;
}

const pairOf = (map: YAMLMap, key: string) => map.items.find((p) => isScalar(p.key) && p.key.value === key);
const scalarValue = (map: YAMLMap, key: string): unknown => {
  const v = pairOf(map, key)?.value;
  return isScalar(v) ? v.value : v;
};

/** A given value in the parameter's type: the form gives text, the CLI numbers and true/false. */
function coerce(type: string, value: unknown): TemplateValue | undefined {
  if (type === 'integer') {
    if (typeof value === 'number') return value;
    if (typeof value === 'string' && /^-?\d{1,15}$/.test(value.trim())) return Number(value.trim());
    return undefined;
  }
  if (type === 'boolean') {
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    return undefined;
  }
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function kindOf(value: unknown): string {
  if (typeof value === 'string') return `a text ("${value.length > 40 ? value.slice(0, 40) + '…' : value}")`;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : `the fraction ${value}`;
  return show(value);
}

function hasExpressions(text: string): boolean {
  try {
    return findExpressions(text).length > 0;
  } catch {
    return true; // an unclosed `${` is reported where it is expanded
  }
}

/** Expands a template (or an answers example, with parameterValues) for the given parameter values. */
export function expandTemplate(source: string, given: Record<string, unknown> = {}, options: ExpandOptions = {}): ExpandedTemplate {
  const what = options.what ?? 'template';
  const { doc, position } = readDocument(source, what);
  const root = doc.contents as YAMLMap;
  const issues: ScriptIssue[] = [];
  const at = (node: Node | null | undefined, path: Path, message: string) => {
    const where = node?.range ? position(node.range[0]) : { line: 0, column: 0 };
    issues.push({ path: path.join('.'), ...where, message });
  };

  const values: Record<string, TemplateValue> = { ...(options.parameterValues ?? {}) };
  const declared: Declared[] = [];
  // defaults computed from other parameters (`default: ${custodians}`), evaluated once the others are known
  const deferred: Omit<Declared, 'value'>[] = [];
  const section = pairOf(root, 'parameters')?.value;
  if (!options.parameterValues && isMap(section)) {
    for (const pair of section.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!isMap(pair.value)) continue; // the schema reports it
      const type = String(scalarValue(pair.value, 'type'));
      const raw = name in given ? given[name] : scalarValue(pair.value, 'default');
      if (raw === undefined) continue; // the schema / engine report a parameter without a value
      if (!(name in given) && typeof raw === 'string' && (findRetired(raw) !== undefined || hasExpressions(raw))) {
        deferred.push({ name, node: pair.value, type });
        continue;
      }
      const value = coerce(type, raw);
      const where = (name in given ? pair.key : (pairOf(pair.value, 'default')?.value ?? pair.key)) as Node;
      const origin = name in given ? 'the value given' : 'its default';
      if (value === undefined || (type === 'integer' && (typeof value !== 'number' || !Number.isSafeInteger(value)))) {
        at(
          where,
          ['parameters', name],
          `${name} must be ${type === 'integer' ? 'an integer' : type === 'boolean' ? 'true or false' : 'a text'}; ${origin} is ${kindOf(raw)}`,
        );
        continue;
      }
      const choices = pairOf(pair.value, 'choices')?.value;
      if (type === 'choice' && isSeq(choices)) {
        const list = choices.items.map((c) => (isScalar(c) ? String(c.value) : ''));
        if (!list.includes(String(value))) at(where, ['parameters', name], `${name} must be one of ${list.join(', ')}; ${origin} is ${kindOf(raw)}`);
      }
      values[name] = value;
      declared.push({ name, node: pair.value, type, value });
    }
    for (const name of Object.keys(given)) {
      if (!declared.some((d) => d.name === name) && !deferred.some((d) => d.name === name) && !issues.some((i) => i.path === `parameters.${name}`)) {
        at(section, ['parameters'], `the ${what} has no parameter "${name}" (it has: ${declared.map((d) => d.name).join(', ') || 'none'})`);
      }
    }
  } else if (!options.parameterValues && Object.keys(given).length > 0) {
    at(root, ['parameters'], `the ${what} takes no parameters; "${Object.keys(given)[0]}" was given`);
  }
  if (issues.length > 0) throw new ScriptError(issues);

  const names: Record<string, TemplateValue> = { ...(options.names ?? {}) };
  const lookup = (name: string): TemplateValue | undefined => {
    if (name.startsWith('parameters.')) return values[name.slice('parameters.'.length)];
    return name in values ? values[name] : names[name];
  };
  const expansion = new Expansion(position, lookup, source);

  for (const d of deferred) {
    const node = pairOf(d.node, 'default')!.value as Node;
    const value = coerce(d.type, expansion.value(node, ['parameters', d.name, 'default'], new Map()));
    if (value === undefined)
      throw new ScriptError([
        { path: `parameters.${d.name}.default`, ...position(node.range?.[0] ?? 0), message: `the default of ${d.name} does not fit its type ${d.type}` },
      ]);
    values[d.name] = value;
    declared.push({ ...d, value });
  }

  // every integer parameter's bounds (which may be expressions over other parameters), then its value within them
  for (const d of declared) {
    if (d.type !== 'integer') continue;
    for (const key of ['min', 'max'] as const) {
      const pair = pairOf(d.node, key);
      if (!pair) continue;
      const bound = expansion.value(pair.value, ['parameters', d.name, key], new Map());
      if (typeof bound !== 'number' || !Number.isSafeInteger(bound)) {
        at(pair.value as Node, ['parameters', d.name, key], `${key} must be an integer, got ${kindOf(bound)}`);
        continue;
      }
      const value = d.value as number;
      const given_ = d.name in given;
      if (key === 'min' ? value < bound : value > bound) {
        const where = (given_ ? pairOf(d.node, 'type')?.key : (pairOf(d.node, 'default')?.value ?? d.node)) as Node;
        at(
          where,
          ['parameters', d.name],
          `${d.name} must be ${key === 'min' ? 'at least' : 'at most'} ${bound}; ${given_ ? 'the value given' : 'its default'} is ${value}`,
        );
      }
      (pair.value as Scalar).value = bound;
    }
  }
  if (issues.length > 0) throw new ScriptError(issues);

  // `placeholders:` (answers examples): values the caller may fill in, with these defaults; `placeholders.x` in the file
  const placeholders = pairOf(root, 'placeholders');
  if (placeholders && isMap(placeholders.value)) {
    for (const pair of placeholders.value.items) {
      const name = `placeholders.${isScalar(pair.key) ? String(pair.key.value) : ''}`;
      const given = options.placeholders?.[name.slice('placeholders.'.length)];
      names[name] = given !== undefined ? given : expansion.value(pair.value, [name], new Map());
    }
    root.delete('placeholders');
  }
  // `let:` names values the rest of the file uses, computed once from the parameters; it is not part of the result
  const lets = pairOf(root, 'let');
  if (lets) {
    if (!isMap(lets.value))
      throw new ScriptError([
        { path: 'let', ...position(lets.key && (lets.key as Node).range ? (lets.key as Node).range![0] : 0), message: '"let" is a mapping of names to values' },
      ]);
    for (const pair of lets.value.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!/^[a-z][A-Za-z0-9]*$/.test(name) || name in values) {
        const where = (pair.key as Node).range ? position((pair.key as Node).range![0]) : { line: 0, column: 0 };
        throw new ScriptError([{ path: `let.${name}`, ...where, message: `"${name}" cannot be a let name: use a lowercase word that is not a parameter` }]);
      }
      names[name] = expansion.value(pair.value, ['let', name], new Map());
    }
    root.delete('let');
  }
  const before = JSON.stringify(doc.toJS());
  const contents = expansion.node(doc.contents, [], new Map());
  doc.contents = contents as typeof doc.contents;
  // the expanded script declares the values it was expanded for as its defaults
  if (!options.parameterValues) {
    const expandedSection = pairOf(doc.contents as YAMLMap, 'parameters')?.value;
    for (const d of declared) {
      const spec = isMap(expandedSection) ? expandedSection.items.find((p) => isScalar(p.key) && p.key.value === d.name)?.value : undefined;
      if (!isMap(spec)) continue;
      const current = pairOf(spec, 'default');
      if (current && isScalar(current.value)) current.value.value = d.value;
      else spec.set('default', new Scalar(d.value));
    }
  }
  // a file with nothing to expand is its own expansion, byte for byte (comments and line breaks as written)
  const unchanged = !source.includes('$(') && !hasExpressions(source) && JSON.stringify(doc.toJS()) === before;
  let text: string | undefined = unchanged ? source : undefined;
  return {
    get text() {
      text ??= doc.toString({ lineWidth: 120 });
      return text;
    },
    doc,
    position,
    parameters: values,
  };
}

/**
 * A template expanded and parsed: problems in the expanded script are reported at the template's own lines (a step
 * made by a repeat at the line of the step it repeats); the result is the plain script's ParsedScript.
 */
export function parseTemplate(source: string, given: Record<string, unknown> = {}, options: ParseScriptOptions = {}): ParsedScript {
  const expanded = expandTemplate(source, given);
  const script = checkScript(expanded.doc, expanded.position, options);
  // the text is the expanded document printed; that it parses back to this same script is what the golden tests check
  const text = expanded.text;
  return { script, text, sha256: createHash('sha256').update(text, 'utf8').digest('hex') };
}
