import { isAlias, isMap, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { evaluate, ExpressionError, findExpressions, findRetired, type TemplateValue } from './expression';
import { LIMITS } from './limits';
import { ScriptError, type ScriptIssue } from './parse';

// Template expansion (LANGUAGE.md): `${…}` expressions, `- repeat:` and `- when:` list items, parameter values.
// The expanded document keeps every node's place in the source, so later checks report the template's own lines.

export type Path = (string | number)[];

export class Expansion {
  readonly issues: ScriptIssue[] = [];
  private nodes = 0;
  constructor(
    private readonly position: (offset: number) => { line: number; column: number },
    private readonly names: (name: string) => TemplateValue | undefined,
    /** the file's text, to place a retired `$(…)` at its own line */
    private readonly source = '',
  ) {}

  fail(node: Node | Pair | null | undefined, path: Path, message: string): never {
    const where = node && 'range' in node && node.range ? this.position(node.range[0]) : { line: 0, column: 0 };
    this.issues.push({ path: path.join('.'), ...where, message });
    throw new ScriptError(this.issues);
  }

  /** A text with its `${…}` expressions filled in (run-time references stay); a text that is exactly one expression takes the value's type. */
  substitute(text: string, node: Node, path: Path, scope: Map<string, TemplateValue>): TemplateValue {
    const lookup = (name: string) => scope.get(name) ?? this.names(name);
    try {
      const found = findExpressions(text);
      if (found.length === 1 && found[0].start === 0 && found[0].end === text.length) return evaluate(found[0].source, lookup);
      let out = '';
      let from = 0;
      for (const e of found) {
        out += text.slice(from, e.start) + String(evaluate(e.source, lookup));
        from = e.end;
      }
      return (out + text.slice(from)).replace(/\$\$\(/g, '$(');
    } catch (error) {
      if (error instanceof ExpressionError) this.fail(node, path, `in "${text.length > 80 ? text.slice(0, 80) + '…' : text}": ${error.message}`);
      throw error;
    }
  }

  /** `$(x)` was the expansion form before `${x}`: an old script is told the line and the form that replaces it. */
  private refuseRetired(text: string, node: Scalar, path: Path): void {
    const retired = findRetired(text);
    if (!retired) return;
    const from = node.range?.[0] ?? 0;
    const found = this.source.indexOf(retired.written, from);
    const offset = found >= 0 && node.range && found < node.range[2] ? found : from;
    const where = this.position(offset);
    this.issues.push({ path: path.join('.'), ...where, message: `"${retired.written}" is the retired form; write "${retired.replacement}"` });
    throw new ScriptError(this.issues);
  }

  node(node: unknown, path: Path, scope: Map<string, TemplateValue>): Node | null {
    if (++this.nodes > LIMITS.expandedNodes) this.fail(node as Node, path, `the expanded file would hold more than ${LIMITS.expandedNodes} values`);
    if (node === null || node === undefined) return null;
    if (isAlias(node)) this.fail(node, path, 'anchors and aliases (*name) are not used in templates; write the value out');
    if (isScalar(node)) {
      const copy = node.clone() as Scalar;
      if (typeof node.value === 'string' && node.value.includes('$')) {
        this.refuseRetired(node.value, node, path);
        const value = this.substitute(node.value, node, path, scope);
        // a text that held an expression is written plain where YAML allows: quotes around `${…}` in a flow
        // collection are there for the template, not for the value — except a placeholder the person types over
        // (a PIN in digits must stay text), which keeps its quotes
        const placeholder = /^\$\{placeholders\.[\w-]+\}$/.test(node.value);
        if (typeof value !== 'string' || (!placeholder && value !== node.value && findExpressions(node.value).length > 0)) copy.type = Scalar.PLAIN;
        copy.value = value;
      }
      return copy;
    }
    if (isMap(node)) {
      const copy = new YAMLMap();
      Object.assign(copy, { flow: node.flow, range: node.range, comment: node.comment, commentBefore: node.commentBefore, spaceBefore: node.spaceBefore });
      const seen = new Set<string>();
      for (const pair of node.items) {
        for (const made of this.entries(pair, path, scope)) {
          const key = isScalar(made.key) ? String(made.key.value) : '';
          if (seen.has(key)) this.fail(made.key as Node, [...path, key], `the key "${key}" is made twice`);
          seen.add(key);
          copy.items.push(made);
        }
      }
      return copy;
    }
    if (isSeq(node)) {
      const copy = new YAMLSeq();
      Object.assign(copy, { flow: node.flow, range: node.range, comment: node.comment, commentBefore: node.commentBefore, spaceBefore: node.spaceBefore });
      node.items.forEach((item, i) => copy.items.push(...this.item(item, [...path, i], scope)));
      return copy;
    }
    return this.fail(node as Node, path, 'this kind of YAML value is not used in templates');
  }

  /** One list item: itself, or the items a repeat or a when makes of it. */
  private item(item: unknown, path: Path, scope: Map<string, TemplateValue>): (Node | null)[] {
    if (!isMap(item)) return [this.node(item, path, scope)];
    const keys = item.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
    if (!keys.includes('repeat') && !keys.includes('when')) return [this.node(item, path, scope)];
    return this.construct(item, path, scope, ['steps', 'items']).flatMap(({ body, scope: inner, at }) => {
      if (!isSeq(body)) return this.fail(item, at, 'the body of a repeat or when item is a list');
      return body.items.flatMap((entry, i) => this.item(entry, [...at, i], inner));
    });
  }

  /** Mapping entries: `...label: { repeat|when: …, entries: { … } }` spreads the entries it makes into the mapping. */
  private entries(pair: Pair, path: Path, scope: Map<string, TemplateValue>): Pair[] {
    const keyText = isScalar(pair.key) ? String(pair.key.value) : '?';
    if (!keyText.startsWith('...')) {
      return [new Pair(this.node(pair.key, [...path, keyText], scope), this.node(pair.value, [...path, keyText], scope))];
    }
    const spec = pair.value;
    if (!isMap(spec)) return this.fail(pair.key as Node, [...path, keyText], `"${keyText}" spreads entries: give it repeat or when, and entries`);
    return this.construct(spec, [...path, keyText], scope, ['entries']).flatMap(({ body, scope: inner, at }) => {
      if (!isMap(body)) return this.fail(spec, at, '"entries" is a mapping');
      return body.items.flatMap((p) => this.entries(p, at, inner));
    });
  }

  /** What a repeat or when asks for: each body to expand, with the scope it is expanded in. */
  private construct(
    item: YAMLMap,
    path: Path,
    scope: Map<string, TemplateValue>,
    bodyKeys: string[],
  ): { body: unknown; scope: Map<string, TemplateValue>; at: Path }[] {
    const keys = item.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
    const get = (key: string) => item.items.find((p) => isScalar(p.key) && p.key.value === key);
    const bodyKey = bodyKeys.find((k) => keys.includes(k)) ?? bodyKeys[0];
    const construct = keys.includes('repeat') ? 'repeat' : 'when';
    if (!keys.includes(construct)) this.fail(item, path, `expected repeat or when here`);
    const allowed = construct === 'repeat' ? ['repeat', bodyKey] : ['when', bodyKey, 'otherwise'];
    const extra = keys.find((k) => !allowed.includes(k));
    if (extra !== undefined)
      this.fail(get(extra)?.key as Node, [...path, extra], `a "${construct}" takes only ${allowed.join(', ')}; "${extra}" does not belong here`);
    const body = get(bodyKey)?.value;
    if (body === undefined || body === null) this.fail(item, [...path, bodyKey], `a "${construct}" needs "${bodyKey}:"`);

    if (construct === 'when') {
      const condition = this.value(get('when')!.value, [...path, 'when'], scope);
      if (typeof condition !== 'boolean')
        this.fail(get('when')!.value as Node, [...path, 'when'], `"when" needs yes/no (true or false), got ${show(condition)}`);
      if (condition) return [{ body, scope, at: [...path, bodyKey] }];
      const otherwise = get('otherwise')?.value;
      return otherwise === undefined ? [] : [{ body: otherwise, scope, at: [...path, 'otherwise'] }];
    }

    const spec = get('repeat')!.value;
    if (!isMap(spec)) this.fail(item, [...path, 'repeat'], 'write a repeat as { for: i, from: 1, to: ${custodians} } or { for: role, in: [a, b] }');
    const field = (key: string) => spec.items.find((p) => isScalar(p.key) && p.key.value === key);
    const unknown = spec.items.find((p) => !['for', 'from', 'to', 'in', 'with'].includes(String(isScalar(p.key) ? p.key.value : '')));
    if (unknown)
      this.fail(unknown.key as Node, [...path, 'repeat', String((unknown.key as Scalar).value)], 'a repeat takes for, from and to (or in), and with');
    const withNode = field('with')?.value;
    if (withNode !== undefined && !isMap(withNode))
      this.fail(withNode as Node, [...path, 'repeat', 'with'], '"with" names values computed for each round: { name: ${expression} }');
    const variable = this.value(field('for')?.value, [...path, 'repeat', 'for'], scope);
    if (typeof variable !== 'string' || !/^[a-z][A-Za-z0-9]*$/.test(variable))
      this.fail(
        (field('for')?.value as Node | undefined) ?? spec,
        [...path, 'repeat', 'for'],
        '"for" names the loop variable: a lowercase word such as i or role',
      );
    let values: TemplateValue[];
    const inNode = field('in')?.value;
    if (inNode !== undefined) {
      if (!isSeq(inNode)) this.fail(inNode as Node, [...path, 'repeat', 'in'], '"in" needs a list of values');
      values = inNode.items.map((v, i) => this.value(v, [...path, 'repeat', 'in', i], scope));
    } else {
      const bound = (key: string): number => {
        const pair = field(key);
        const v = this.value(pair?.value, [...path, 'repeat', key], scope);
        if (typeof v !== 'number' || !Number.isSafeInteger(v))
          this.fail((pair?.value as Node | undefined) ?? spec, [...path, 'repeat', key], `"${key}" must be an integer, got ${show(v)}`);
        return v;
      };
      const from = bound('from');
      const to = bound('to');
      if (to - from + 1 > LIMITS.repeatItems)
        this.fail(spec, [...path, 'repeat'], `a repeat from ${from} to ${to} would make more than ${LIMITS.repeatItems} items`);
      values = to < from ? [] : Array.from({ length: to - from + 1 }, (_, k) => from + k);
    }
    return values.map((v) => {
      const inner = new Map(scope).set(variable, v);
      if (isMap(withNode)) {
        for (const pair of withNode.items) {
          const name = isScalar(pair.key) ? String(pair.key.value) : '';
          if (!/^[a-z][A-Za-z0-9]*$/.test(name)) this.fail(pair.key as Node, [...path, 'repeat', 'with'], `"${name}": a name in "with" is a lowercase word`);
          inner.set(name, this.value(pair.value, [...path, 'repeat', 'with', name], inner));
        }
      }
      return { body, scope: inner, at: [...path, bodyKey] };
    });
  }

  value(node: unknown, path: Path, scope: Map<string, TemplateValue>): TemplateValue {
    const expanded = this.node(node, path, scope);
    if (!isScalar(expanded) || !['string', 'number', 'boolean'].includes(typeof expanded.value))
      this.fail((node as Node) ?? null, path, 'expected a single value here');
    return expanded.value as TemplateValue;
  }
}

export function show(v: unknown): string {
  return typeof v === 'string' ? `the text "${v}"` : String(v);
}
