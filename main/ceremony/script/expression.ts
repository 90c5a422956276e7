import { CustodianError } from '../../errors';
// The expressions a template computes while it is expanded: `${custodians}`, `${i + 1}`, `${mode == "user"}`,
// `${ceil(custodians / threshold)}`. Numbers, texts, yes/no; + - * / %, comparisons, and/or/not, and the functions
// min, max, ceil, floor, if(condition, then, else). Names are loop variables, then parameters (`custodians` or
// `parameters.custodians`). See LANGUAGE.md.

export type TemplateValue = string | number | boolean;

export class ExpressionError extends CustodianError<'ExpressionInvalid'> {
  constructor(message: string) {
    super('ExpressionInvalid', message);
    this.name = 'ExpressionError';
  }
}

/** The longest expression accepted: a template computes small things. */
export const MAX_EXPRESSION_LENGTH = 300;

type Token = { kind: 'num'; value: number } | { kind: 'str'; value: string } | { kind: 'name'; value: string } | { kind: 'op'; value: string };

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '+', '-', '*', '/', '%', '(', ')', ',', '!'];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const number = /^\d+/.exec(source.slice(i));
    if (number) {
      tokens.push({ kind: 'num', value: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_-]*)*/.exec(source.slice(i));
    if (name) {
      tokens.push({ kind: 'name', value: name[0] });
      i += name[0].length;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const end = source.indexOf(ch, i + 1);
      if (end < 0) throw new ExpressionError(`a text starting with ${ch} is not closed`);
      tokens.push({ kind: 'str', value: source.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (!op) throw new ExpressionError(`unexpected "${ch}"`);
    tokens.push({ kind: 'op', value: op });
    i += op.length;
  }
  return tokens;
}

const FUNCTIONS: Record<string, (args: TemplateValue[]) => TemplateValue> = {
  min: (a) => Math.min(...a.map(num)),
  max: (a) => Math.max(...a.map(num)),
  ceil: ([a]) => Math.ceil(num(a)),
  floor: ([a]) => Math.floor(num(a)),
  if: ([c, a, b]) => (bool(c) ? a : b),
};
const ARITY: Record<string, [number, number]> = { min: [1, 16], max: [1, 16], ceil: [1, 1], floor: [1, 1], if: [3, 3] };

function num(v: TemplateValue | undefined): number {
  if (typeof v !== 'number') throw new ExpressionError(`expected a number, got ${describe(v)}`);
  return v;
}
function bool(v: TemplateValue | undefined): boolean {
  if (typeof v !== 'boolean') throw new ExpressionError(`expected yes/no (true or false), got ${describe(v)}`);
  return v;
}
function describe(v: TemplateValue | undefined): string {
  return typeof v === 'string' ? `the text "${v}"` : v === undefined ? 'nothing' : String(v);
}

/** Evaluates one expression; `lookup` gives a name's value or undefined for an unknown name. */
export function evaluate(source: string, lookup: (name: string) => TemplateValue | undefined): TemplateValue {
  if (source.length > MAX_EXPRESSION_LENGTH) throw new ExpressionError(`the expression is longer than ${MAX_EXPRESSION_LENGTH} characters`);
  const tokens = tokenize(source);
  let at = 0;
  const peek = () => tokens[at];
  const isOp = (value: string) => peek()?.kind === 'op' && peek()!.value === value;
  const isWord = (value: string) => peek()?.kind === 'name' && peek()!.value === value;
  const expect = (value: string) => {
    if (!isOp(value)) throw new ExpressionError(`expected "${value}"${peek() ? ` before "${String(peek()!.value)}"` : ' at the end'}`);
    at++;
  };

  const or = (): TemplateValue => {
    let left = and();
    while (isOp('||') || isWord('or')) {
      at++;
      const right = and();
      left = bool(left) || bool(right);
    }
    return left;
  };
  const and = (): TemplateValue => {
    let left = not();
    while (isOp('&&') || isWord('and')) {
      at++;
      const right = not();
      left = bool(left) && bool(right);
    }
    return left;
  };
  const not = (): TemplateValue => {
    if (isOp('!') || isWord('not')) {
      at++;
      return !bool(not());
    }
    return comparison();
  };
  const comparison = (): TemplateValue => {
    const left = sum();
    const op = peek();
    if (op?.kind !== 'op' || !['==', '!=', '<', '<=', '>', '>='].includes(op.value)) return left;
    at++;
    const right = sum();
    switch (op.value) {
      case '==':
        return left === right;
      case '!=':
        return left !== right;
      case '<':
        return num(left) < num(right);
      case '<=':
        return num(left) <= num(right);
      case '>':
        return num(left) > num(right);
      default:
        return num(left) >= num(right);
    }
  };
  const sum = (): TemplateValue => {
    let left = product();
    while (isOp('+') || isOp('-')) {
      const op = tokens[at++].value;
      const right = product();
      left = op === '+' ? num(left) + num(right) : num(left) - num(right);
    }
    return left;
  };
  const product = (): TemplateValue => {
    let left = unary();
    while (isOp('*') || isOp('/') || isOp('%')) {
      const op = tokens[at++].value;
      const right = num(unary());
      if (op !== '*' && right === 0) throw new ExpressionError('division by zero');
      left = op === '*' ? num(left) * right : op === '/' ? num(left) / right : num(left) % right;
    }
    return left;
  };
  const unary = (): TemplateValue => {
    if (isOp('-')) {
      at++;
      return -num(unary());
    }
    return primary();
  };
  const primary = (): TemplateValue => {
    const token = tokens[at++];
    if (!token) throw new ExpressionError('the expression ends too early');
    if (token.kind === 'num' || token.kind === 'str') return token.value;
    if (token.kind === 'op') {
      if (token.value !== '(') throw new ExpressionError(`unexpected "${token.value}"`);
      const inner = or();
      expect(')');
      return inner;
    }
    if (token.value === 'true' || token.value === 'false') return token.value === 'true';
    if (isOp('(')) {
      const fn = FUNCTIONS[token.value];
      if (!fn) throw new ExpressionError(`no function "${token.value}" (known: ${Object.keys(FUNCTIONS).join(', ')})`);
      at++;
      const args: TemplateValue[] = [];
      if (!isOp(')')) {
        args.push(or());
        while (isOp(',')) {
          at++;
          args.push(or());
        }
      }
      expect(')');
      const [least, most] = ARITY[token.value];
      if (args.length < least || args.length > most)
        throw new ExpressionError(`${token.value}() takes ${least === most ? least : `${least} to ${most}`} values`);
      return fn(args);
    }
    const value = lookup(token.value);
    if (value === undefined) throw new ExpressionError(`unknown name "${token.value}"`);
    return value;
  };

  if (tokens.length === 0) throw new ExpressionError('the expression is empty');
  const value = or();
  if (at < tokens.length) throw new ExpressionError(`unexpected "${String(tokens[at].value)}"`);
  if (typeof value === 'number' && !Number.isFinite(value)) throw new ExpressionError('the result is not a finite number');
  return value;
}

/** A `${…}` whose content is one of these is a reference of the plain script (references.ts, roles-references.ts), left as written when expanding. */
const RUNTIME_REFERENCE = /^\s*(steps|ceremony|parameters|roles)\.[A-Za-z0-9_.-]+\s*$/;

export function isRuntimeReference(source: string): boolean {
  return RUNTIME_REFERENCE.test(source);
}

/** The index of the `close` that balances the `open` at text[from] (quoted text skipped), or text.length if none does. */
function closingIndex(text: string, from: number, open: string, close: string): number {
  let depth = 0;
  let quote: string | null = null;
  for (let j = from; j < text.length; j++) {
    const ch = text[j];
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === open) depth++;
    else if (ch === close && --depth === 0) return j;
  }
  return text.length;
}

/**
 * Where the expressions filled at expansion are in a text: `${…}` (balancing braces, skipping quoted texts) whose
 * content is not a run-time reference. Start, end (exclusive) and the expression.
 */
export function findExpressions(text: string): { start: number; end: number; source: string }[] {
  const found: { start: number; end: number; source: string }[] = [];
  let i = text.indexOf('${');
  while (i >= 0) {
    const j = closingIndex(text, i + 1, '{', '}');
    if (j >= text.length) throw new ExpressionError(`"\${" at character ${i + 1} is not closed with "}"`);
    const source = text.slice(i + 2, j);
    if (!isRuntimeReference(source)) found.push({ start: i, end: j + 1, source });
    i = text.indexOf('${', j + 1);
  }
  return found;
}

/** The first use of the retired `$(…)` form in a text (`$$(` is a literal `$(`), with the `${…}` that replaces it. */
export function findRetired(text: string): { start: number; written: string; replacement: string } | undefined {
  for (let i = text.indexOf('$('); i >= 0; i = text.indexOf('$(', i + 2)) {
    if (text[i - 1] === '$') continue;
    const j = closingIndex(text, i + 1, '(', ')');
    const written = text.slice(i, Math.min(j + 1, text.length));
    const inner = j < text.length ? text.slice(i + 2, j) : text.slice(i + 2);
    return { start: i, written, replacement: `\${${inner}}` };
  }
  return undefined;
}
