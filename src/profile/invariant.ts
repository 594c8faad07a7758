import jsep from 'jsep';

/**
 * Invariants are expressions over a payload's fields that every message must
 * satisfy (`current <= peak`, `max >= min and value <= max`). They
 * come from profile files a user wrote, so they are parsed once by jsep into
 * a syntax tree and walked here over a whitelist of node kinds: no `eval`, no
 * `Function`, no calls, no computed member access, nothing reaches a
 * prototype.
 *   "current <= peak" on {current: 801000, peak: 800000}
 *     -> broken, values {current: 801000, peak: 800000}
 */

// Word operators for people who do not write JS; jsep's table is global, set once here.
jsep.addBinaryOp('and', 2);
jsep.addBinaryOp('or', 1);
jsep.addUnaryOp('not');
// No bitwise or sequence tricks in a data check.
for (const op of ['|', '^', '&', '<<', '>>', '>>>', '??']) jsep.removeBinaryOp(op);
jsep.removeUnaryOp('~');

type Value = number | string | boolean | null | undefined;
type Node = jsep.Expression;

export interface Invariant {
  /** The expression as written in the profile. */
  readonly text: string;
  /** Payload field paths the expression reads (`a`, `a.b`), in order of first use. */
  readonly fields: readonly string[];
  /**
   * True when it holds, false when it is broken, undefined when it cannot be
   * judged on this payload (a field missing or not a number where one is
   * compared): the schema check reports those.
   */
  check(payload: Readonly<Record<string, unknown>>): boolean | undefined;
}

export class InvariantError extends Error {
  /** Character offset in the expression the problem is at. */
  readonly index: number;
  constructor(message: string, index: number) {
    super(message);
    this.name = 'InvariantError';
    this.index = index;
  }
}

const BINARY = new Set(['+', '-', '*', '/', '%', '<', '<=', '>', '>=', '==', '!=', '===', '!==', '&&', '||', 'and', 'or']);
const UNARY = new Set(['-', '+', '!', 'not']);

/** `a.b.c` of a non-computed member chain, or undefined when it is anything else. */
function pathOf(node: Node): string | undefined {
  if (node.type === 'Identifier') return String(node.name);
  if (node.type === 'MemberExpression' && node.computed === false) {
    const object = pathOf(node.object as Node);
    const property = node.property as Node;
    if (object !== undefined && property.type === 'Identifier') return `${object}.${String(property.name)}`;
  }
  return undefined;
}

/** Checks the tree against the whitelist and collects the field paths it reads. */
function collect(node: Node, fields: string[], text: string): void {
  const path = pathOf(node);
  if (path !== undefined) {
    if (path === 'true' || path === 'false' || path === 'null') return;
    if (!fields.includes(path)) fields.push(path);
    return;
  }
  switch (node.type) {
    case 'Literal':
      if (node.value instanceof RegExp) throw new InvariantError('regular expressions are not allowed', 0);
      return;
    case 'UnaryExpression':
      if (!UNARY.has(String(node.operator))) throw new InvariantError(`operator ${String(node.operator)} is not allowed`, 0);
      return collect(node.argument as Node, fields, text);
    case 'BinaryExpression':
      if (!BINARY.has(String(node.operator))) throw new InvariantError(`operator ${String(node.operator)} is not allowed`, 0);
      collect(node.left as Node, fields, text);
      return collect(node.right as Node, fields, text);
    case 'ConditionalExpression':
      collect(node.test as Node, fields, text);
      collect(node.consequent as Node, fields, text);
      return collect(node.alternate as Node, fields, text);
    default:
      throw new InvariantError(`${describe(node)} is not allowed (only fields, numbers, text, comparisons, arithmetic, and/or/not)`, 0);
  }
}

function describe(node: Node): string {
  switch (node.type) {
    case 'CallExpression':
      return 'a function call';
    case 'MemberExpression':
      return 'a computed field access';
    case 'ArrayExpression':
      return 'a list';
    case 'Compound':
      return 'more than one expression';
    default:
      return String(node.type);
  }
}

/** An own-property read along a dotted path: nothing from a prototype. */
function read(payload: Readonly<Record<string, unknown>>, path: string): unknown {
  let at: unknown = payload;
  for (const key of path.split('.')) {
    if (typeof at !== 'object' || at === null || !Object.prototype.hasOwnProperty.call(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

const CANNOT = Symbol('cannot judge');
type Result = Value | typeof CANNOT;

function scalar(v: unknown): Result {
  return v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : CANNOT;
}

function evaluate(node: Node, payload: Readonly<Record<string, unknown>>): Result {
  const path = pathOf(node);
  if (path === 'true') return true;
  if (path === 'false') return false;
  if (path === 'null') return null;
  if (path !== undefined) return scalar(read(payload, path));
  switch (node.type) {
    case 'Literal':
      return node.value as Value;
    case 'UnaryExpression': {
      const v = evaluate(node.argument as Node, payload);
      if (v === CANNOT) return CANNOT;
      if (node.operator === '!' || node.operator === 'not') return !v;
      if (typeof v !== 'number') return CANNOT;
      return node.operator === '-' ? -v : v;
    }
    case 'BinaryExpression':
      return binary(String(node.operator), node.left as Node, node.right as Node, payload);
    case 'ConditionalExpression': {
      const test = evaluate(node.test as Node, payload);
      if (test === CANNOT) return CANNOT;
      return evaluate((test ? node.consequent : node.alternate) as Node, payload);
    }
    default:
      return CANNOT;
  }
}

function binary(op: string, leftNode: Node, rightNode: Node, payload: Readonly<Record<string, unknown>>): Result {
  const l = evaluate(leftNode, payload);
  if (op === '&&' || op === 'and' || op === '||' || op === 'or') {
    if (l === CANNOT) return CANNOT;
    const and = op === '&&' || op === 'and';
    if (and ? !l : l) return l;
    return evaluate(rightNode, payload);
  }
  const r = evaluate(rightNode, payload);
  if (l === CANNOT || r === CANNOT) return CANNOT;
  switch (op) {
    case '==':
    case '===':
      return l === r;
    case '!=':
    case '!==':
      return l !== r;
  }
  // Order and arithmetic: numbers with numbers, or text with text for order.
  const ordered = (typeof l === 'number' && typeof r === 'number') || (typeof l === 'string' && typeof r === 'string' && op.startsWith('<')) || (typeof l === 'string' && typeof r === 'string' && op.startsWith('>'));
  if (!ordered) return CANNOT;
  switch (op) {
    case '<':
      return l! < r!;
    case '<=':
      return l! <= r!;
    case '>':
      return l! > r!;
    case '>=':
      return l! >= r!;
  }
  if (typeof l !== 'number' || typeof r !== 'number') return CANNOT;
  switch (op) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      return r === 0 ? CANNOT : l / r;
    case '%':
      return r === 0 ? CANNOT : l % r;
  }
  return CANNOT;
}

/** Parses an invariant; throws InvariantError (with the offset) when it is not one. */
export function compileInvariant(text: string): Invariant {
  let tree: Node;
  try {
    tree = jsep(text);
  } catch (e) {
    const err = e as { description?: string; message?: string; index?: number };
    throw new InvariantError(err.description ?? err.message ?? 'not an expression', err.index ?? 0);
  }
  const fields: string[] = [];
  collect(tree, fields, text);
  if (fields.length === 0) throw new InvariantError('reads no payload field', 0);
  return {
    text,
    fields,
    check(payload) {
      const v = evaluate(tree, payload);
      return v === CANNOT ? undefined : Boolean(v);
    },
  };
}

/** The values an invariant read, for a violation's detail: `current=801000, peak=800000`. */
export function invariantValues(invariant: Invariant, payload: Readonly<Record<string, unknown>>): string {
  return invariant.fields.map((f) => `${f}=${JSON.stringify(read(payload, f))}`).join(', ');
}
