import { byConnection, list, median, num, type Message } from './observed.js';

/**
 * What a channel's payload fields do over time and across clients: which
 * rise, which every client sees alike for one tick, which orderings hold.
 * Each answer carries its evidence, and "cannot tell" when the recording
 * is too thin for it.
 */

/** Fewest messages per connection to call a field rising: a wandering value can climb for a few ticks. */
export const RISING_MIN = 6;
/** Fewest messages to trust an ordering between two fields. */
export const ORDER_MIN = 10;
/** Fewest ticks seen by two clients or more to call a field shared. */
export const SHARED_MIN = 3;

export function scalarFields(messages: readonly Message[], kind: 'number' | 'scalar'): string[] {
  const seen = new Map<string, number>();
  for (const m of messages) {
    for (const [k, v] of Object.entries(m.payload)) {
      const ok = kind === 'number' ? typeof v === 'number' && Number.isFinite(v) : v === null || ['number', 'string', 'boolean'].includes(typeof v);
      if (ok) seen.set(k, (seen.get(k) ?? 0) + 1);
    }
  }
  return [...seen].filter(([, n]) => n === messages.length).map(([k]) => k);
}

export interface FieldVerdict {
  readonly fields: string[];
  /** Evidence per field, or for the whole set. */
  readonly why: string;
}

/** Never goes back on any connection, and rises in most steps. */
export function inferRising(messages: readonly Message[]): FieldVerdict {
  const conns = [...byConnection(messages).values()];
  const fewest = Math.min(...conns.map((c) => c.length));
  if (fewest < RISING_MIN) return { fields: [], why: `cannot tell which fields rise: ${fewest} message(s) on a connection, fewer than ${RISING_MIN}` };
  const rising: string[] = [];
  const notes: string[] = [];
  for (const f of scalarFields(messages, 'number')) {
    let up = 0;
    let steps = 0;
    let back = false;
    for (const c of conns) {
      for (let i = 1; i < c.length; i++) {
        const d = (c[i].payload[f] as number) - (c[i - 1].payload[f] as number);
        steps += 1;
        if (d < 0) back = true;
        if (d > 0) up += 1;
      }
    }
    if (!back && up >= 0.8 * steps) {
      rising.push(f);
      notes.push(`${f} rose in ${up} of ${steps} steps and never went back`);
    }
  }
  return { fields: rising, why: rising.length ? notes.join('; ') : `no number field rose steadily over ${fewest}+ messages per connection` };
}

/**
 * Fields every client saw alike at one tick (messages of this type with one
 * server timestamp). A field that differs between clients at a tick is
 * drawn per client and is left out, with the count said.
 */
export function inferShared(messages: readonly Message[], clients: number): FieldVerdict & { perClient: string[] } {
  if (clients < 2) return { fields: [], perClient: [], why: 'cannot tell which fields are shared: one client watched (--clients 2 or more)' };
  const ticks = new Map<number, Message[]>();
  for (const m of messages) {
    if (m.tsMs === undefined) continue;
    let l = ticks.get(m.tsMs);
    if (!l) ticks.set(m.tsMs, (l = []));
    if (!l.some((x) => x.conn === m.conn)) l.push(m);
  }
  const together = [...ticks.values()].filter((l) => l.length >= 2);
  if (together.length < SHARED_MIN) return { fields: [], perClient: [], why: `cannot tell which fields are shared: ${together.length} tick(s) seen by two clients with one timestamp (fewer than ${SHARED_MIN})` };
  const shared: string[] = [];
  const perClient: string[] = [];
  const differ: string[] = [];
  for (const f of scalarFields(messages, 'scalar')) {
    const unequal = together.filter((l) => l.some((m) => m.payload[f] !== l[0].payload[f])).length;
    if (unequal === 0) shared.push(f);
    else {
      perClient.push(f);
      differ.push(`${f} differed in ${unequal} of ${together.length}`);
    }
  }
  const why = [
    shared.length ? `equal for every client in all ${together.length} ticks two or more clients saw: ${list(shared, 12)}` : '',
    differ.length ? `not shared, drawn per client (clients saw other values at the same tick): ${differ.join(', ')}` : '',
  ].filter(Boolean).join('; ');
  return { fields: shared, perClient, why };
}

/**
 * Orderings between two number fields that held in every message. Two
 * fields in separate bands (40-60 and 800000) are always ordered and say
 * nothing: an ordering is kept only when the ranges the two fields covered
 * overlap by at least OVERLAP of the narrower one, and each field's median
 * lies inside the other's range (two wandering values a little apart can
 * stay ordered for seconds by chance; two that share one band seldom do).
 */
const OVERLAP = 0.3;

export function inferInvariants(messages: readonly Message[]): FieldVerdict {
  if (messages.length < ORDER_MIN) return { fields: [], why: `cannot tell orderings: ${messages.length} message(s), fewer than ${ORDER_MIN}` };
  const fields = scalarFields(messages, 'number');
  const out: string[] = [];
  const notes: string[] = [];
  const range = (f: string) => {
    const v = messages.map((m) => m.payload[f] as number);
    return [Math.min(...v), Math.max(...v)] as const;
  };
  for (let i = 0; i < fields.length; i++) {
    for (let j = i + 1; j < fields.length; j++) {
      const [a, b] = [fields[i], fields[j]];
      const d = messages.map((m) => (m.payload[b] as number) - (m.payload[a] as number));
      const le = d.every((x) => x >= 0);
      const ge = d.every((x) => x <= 0);
      if ((!le && !ge) || d.every((x) => x === 0)) continue;
      const [alo, ahi] = range(a);
      const [blo, bhi] = range(b);
      const overlap = Math.min(ahi, bhi) - Math.max(alo, blo);
      const narrow = Math.min(ahi - alo, bhi - blo);
      if (overlap <= 0 || overlap < OVERLAP * narrow) continue;
      // each field's middle value inside the other's range: one band, so the order is no band's position
      const mid = (f: string) => median(messages.map((m) => m.payload[f] as number));
      if (mid(a) < blo || mid(a) > bhi || mid(b) < alo || mid(b) > ahi) continue;
      const text = le ? `${a} <= ${b}` : `${a} >= ${b}`;
      out.push(text);
      notes.push(`${text}: held in all ${messages.length} (${a} ${num(alo)}..${num(ahi)}, ${b} ${num(blo)}..${num(bhi)})`);
    }
  }
  return { fields: out, why: out.length ? `held in every message, over overlapping ranges: ${notes.join('; ')}` : 'no ordering between two number fields of overlapping ranges held in every message' };
}
