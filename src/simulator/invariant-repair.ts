import jsep from 'jsep';
import type { Invariant } from '../profile/index.js';
import type { NumberField } from './schema-values.js';

/**
 * Making a drawn payload keep its channel's invariants. An invariant that is
 * a conjunction of comparisons (`c >= a and b <= c`, `not (a > b)`, `d >=
 * 0`) becomes order constraints between two fields or a
 * field and a number, and `repairOrders` orders the values to meet them.
 * Anything else (arithmetic, `or`) is left to a fresh draw (channel-data.ts).
 *
 * The invariant's text is parsed again here with jsep, which the profile
 * loader has already set up (word operators and/or/not).
 */

type Operand = { readonly field: string } | { readonly value: number };

/** `left <= right`, `left < right` or `left == right`. */
export interface Order {
  readonly left: Operand;
  readonly op: '<=' | '<' | '==';
  readonly right: Operand;
}

type Node = jsep.Expression;

const FLIP: Record<string, ['<=' | '<' | '==', boolean]> = {
  '<=': ['<=', false],
  '<': ['<', false],
  '>=': ['<=', true],
  '>': ['<', true],
  '==': ['==', false],
  '===': ['==', false],
};

function operand(node: Node): Operand | undefined {
  if (node.type === 'Literal' && typeof node.value === 'number') return { value: node.value };
  if (node.type === 'UnaryExpression' && node.operator === '-') {
    const inner = operand(node.argument as Node);
    return inner && 'value' in inner ? { value: -inner.value } : undefined;
  }
  const path: string[] = [];
  let at = node;
  while (at.type === 'MemberExpression' && at.computed === false && (at.property as Node).type === 'Identifier') {
    path.unshift(String((at.property as Node).name));
    at = at.object as Node;
  }
  if (at.type !== 'Identifier') return undefined;
  path.unshift(String(at.name));
  return { field: path.join('.') };
}

/** `not (a > b)` is `a <= b`. */
const NEGATE: Record<string, string> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<' };

function collect(node: Node, out: Order[]): boolean {
  if (node.type === 'UnaryExpression' && (node.operator === 'not' || node.operator === '!')) {
    const inner = node.argument as Node;
    const op = inner.type === 'BinaryExpression' ? NEGATE[String(inner.operator)] : undefined;
    return op !== undefined && collect({ ...inner, operator: op }, out);
  }
  if (node.type !== 'BinaryExpression') return false;
  const op = String(node.operator);
  if (op === 'and' || op === '&&') return collect(node.left as Node, out) && collect(node.right as Node, out);
  const flip = FLIP[op];
  const l = operand(node.left as Node);
  const r = operand(node.right as Node);
  if (!flip || !l || !r) return false;
  out.push(flip[1] ? { left: r, op: flip[0], right: l } : { left: l, op: flip[0], right: r });
  return true;
}

/** The order constraints an invariant is made of, or undefined when it is not only those. */
export function ordersOf(invariant: Invariant): Order[] | undefined {
  const out: Order[] = [];
  try {
    return collect(jsep(invariant.text), out) ? out : undefined;
  } catch {
    return undefined;
  }
}

export function readPath(payload: Record<string, unknown>, path: string): unknown {
  let at: unknown = payload;
  for (const key of path.split('.')) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  return at;
}

export function writePath(payload: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = payload;
  for (const key of keys.slice(0, -1)) {
    if (!at[key] || typeof at[key] !== 'object') return;
    at = at[key] as Record<string, unknown>;
  }
  at[keys[keys.length - 1]] = value;
}

interface Ranked {
  readonly path: string;
  readonly field: NumberField;
  /** Fields that must be above this one, and whether strictly. */
  readonly above: Array<{ readonly to: number; readonly strict: boolean }>;
  below: number;
  lo: number;
  hi: number;
}

/**
 * Mends the payload in place so that its order constraints hold: the values
 * of the fields they link are sorted along the constraints (a topological
 * order of "left before right"), then each is moved, in that order, just
 * far enough to clear the fields below it and any bound (a number in an
 * invariant, the schema's range, a rising field's value this tick):
 *
 *   "a <= b and b <= c", {a: 60, b: 40, c: 50}
 *     sorted along a, b, c -> {a: 40, b: 50, c: 60}
 *
 * Sorting moves no value outside the range the values already span, and
 * order statistics of smooth curves are smooth, so mended data still moves
 * smoothly. Constraints in a cycle are left as they are; an `==` then
 * copies one side to the other.
 */
export function repairOrders(payload: Record<string, unknown>, orders: readonly Order[], numbers: ReadonlyMap<string, NumberField>): void {
  sortOrders(payload, orders, numbers);
  repairEquals(payload, orders, numbers);
}

function sortOrders(payload: Record<string, unknown>, orders: readonly Order[], numbers: ReadonlyMap<string, NumberField>): void {
  const nodes: Ranked[] = [];
  const at = new Map<string, number>();
  const node = (o: Operand): number | undefined => {
    if (!('field' in o)) return undefined;
    const f = numbers.get(o.field);
    if (!f || f.rising || typeof readPath(payload, o.field) !== 'number') return undefined;
    let i = at.get(o.field);
    if (i === undefined) {
      i = nodes.push({ path: o.field, field: f, above: [], below: 0, lo: f.lo, hi: f.hi }) - 1;
      at.set(o.field, i);
    }
    return i;
  };
  /** A literal, or a field that does not move here (rising, not a number). */
  const fixed = (o: Operand): number | undefined => {
    const v = 'value' in o ? o.value : readPath(payload, o.field);
    return typeof v === 'number' ? v : undefined;
  };
  for (const { left, op, right } of orders) {
    if (op === '==') continue;
    const strict = op === '<';
    const l = node(left);
    const r = node(right);
    if (l !== undefined && r !== undefined) {
      nodes[l].above.push({ to: r, strict });
      nodes[r].below++;
    } else if (l !== undefined) {
      const v = fixed(right);
      if (v !== undefined) nodes[l].hi = Math.min(nodes[l].hi, strict ? v - nodes[l].field.step : v);
    } else if (r !== undefined) {
      const v = fixed(left);
      if (v !== undefined) nodes[r].lo = Math.max(nodes[r].lo, strict ? v + nodes[r].field.step : v);
    }
  }
  if (nodes.length === 0) return;
  // Kahn's topological order of "left before right"; a cycle leaves the payload alone.
  const order: number[] = [];
  const waiting = nodes.map((n) => n.below);
  const ready = nodes.flatMap((n, i) => (n.below === 0 ? [i] : []));
  while (ready.length > 0) {
    const i = ready.shift()!;
    order.push(i);
    for (const { to } of nodes[i].above) if (--waiting[to] === 0) ready.push(to);
  }
  if (order.length < nodes.length) return;
  // An upper bound holds for everything below too, one step lower for each strict link.
  for (const i of [...order].reverse()) {
    for (const { to, strict } of nodes[i].above) nodes[i].hi = Math.min(nodes[i].hi, nodes[to].hi - (strict ? nodes[i].field.step : 0));
  }
  // Values are sorted within each group of linked fields only: an unlinked field keeps its own.
  const group = nodes.map((_, i) => i);
  const root = (i: number): number => (group[i] === i ? i : (group[i] = root(group[i])));
  nodes.forEach((n, i) => n.above.forEach(({ to }) => (group[root(to)] = root(i))));
  const values = new Map<number, number[]>();
  for (const i of order) {
    const list = values.get(root(i)) ?? [];
    list.push(readPath(payload, nodes[i].path) as number);
    values.set(root(i), list);
  }
  for (const list of values.values()) list.sort((a, b) => a - b);
  const floor = nodes.map((n) => n.lo);
  for (const i of order) {
    const n = nodes[i];
    const { step } = n.field;
    const v = Math.min(n.hi, Math.max(floor[i], values.get(root(i))!.shift()!));
    const snapped = Number((Math.min(Math.floor(n.hi / step), Math.max(Math.ceil(floor[i] / step), Math.round(v / step))) * step).toFixed(12));
    writePath(payload, n.path, snapped);
    for (const { to, strict } of n.above) floor[to] = Math.max(floor[to], snapped + (strict ? nodes[to].field.step : 0));
  }
}

/** `a == b`, `a == 3`: the free side takes the other's value, where its schema allows it. */
function repairEquals(payload: Record<string, unknown>, orders: readonly Order[], numbers: ReadonlyMap<string, NumberField>): void {
  for (const { left, op, right } of orders) {
    if (op !== '==') continue;
    for (const [to, from] of [
      [right, left],
      [left, right],
    ] as const) {
      const f = 'field' in to ? numbers.get(to.field) : undefined;
      const v = 'value' in from ? from.value : readPath(payload, from.field);
      if (!f || f.rising || typeof v !== 'number' || v < f.lo || v > f.hi || (f.step === 1 && !Number.isInteger(v))) continue;
      writePath(payload, (to as { field: string }).field, v);
      break;
    }
  }
}
