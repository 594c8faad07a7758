import { byConnection, list, median, num, type Message } from './observed.js';

/**
 * What a channel's payload fields do over time and across clients: which
 * rise, which every client sees alike for one tick, which orderings hold.
 * Each answer carries its evidence, and "cannot tell" when the recording
 * is too thin for it.
 */

/** Fewest messages per connection to call a field rising: a wandering value can climb for a few ticks. */
export const RISING_MIN = 6;
/**
 * Steps without a step back that make a climb a rise even when its
 * increments are irregular (a running total, a clock): a value that wanders
 * (a trend in a metric, or the simulator's smooth curves, which turn every
 * 16 ticks) climbs for a handful of ticks often, for this many rarely.
 */
export const RISING_LONG = 30;
/** Share of the up steps a counter takes by its one unit (the rest are whole multiples: ticks it skipped). */
const COUNTER_SHARE = 0.6;
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
  /** What the recording was too thin to tell, for the profile's "Could not tell" list. */
  readonly unsure?: string;
}

/**
 * Never goes back on any connection, rises in most steps, and either counts
 * (most up steps are one same unit, the others whole multiples of it: a
 * sequence number or a block height with a tick missed) or climbs for
 * RISING_LONG steps. Six climbing ticks of a wandering value are not enough:
 * learning one as rising fails every later run the first time it turns.
 *   steps 1,1,2,1,1     -> rising (a counter; one tick skipped)
 *   steps 3,10,1,7,4    -> not yet (a climb, not a count; watch longer)
 */
export function inferRising(messages: readonly Message[]): FieldVerdict {
  const conns = [...byConnection(messages).values()];
  const fewest = Math.min(...conns.map((c) => c.length));
  if (fewest < RISING_MIN) return { fields: [], why: `cannot tell which fields rise: ${fewest} message(s) on a connection, fewer than ${RISING_MIN}` };
  const rising: string[] = [];
  const notes: string[] = [];
  const climbs: string[] = [];
  for (const f of scalarFields(messages, 'number')) {
    const ups: number[] = [];
    let steps = 0;
    let back = false;
    for (const c of conns) {
      for (let i = 1; i < c.length; i++) {
        const d = (c[i].payload[f] as number) - (c[i - 1].payload[f] as number);
        steps += 1;
        if (d < 0) back = true;
        if (d > 0) ups.push(d);
      }
    }
    if (back || ups.length < 0.8 * steps) continue;
    const unit = counterUnit(ups);
    if (unit !== undefined) {
      rising.push(f);
      notes.push(`${f} rose in ${ups.length} of ${steps} steps, by ${unit} or whole multiples of it, and never went back`);
    } else if (steps >= RISING_LONG) {
      rising.push(f);
      notes.push(`${f} rose in ${ups.length} of ${steps} steps and never went back`);
    } else climbs.push(f);
  }
  const unsure = climbs.length ? `${list(climbs)} climbed by uneven steps and never went back, too few steps (< ${RISING_LONG}) to call rising` : '';
  const more = unsure ? { unsure: `${unsure} (watch longer: --duration)` } : {};
  if (rising.length) return { fields: rising, why: [...notes, ...(unsure ? [unsure] : [])].join('; '), ...more };
  return { fields: [], why: unsure || `no number field rose steadily over ${fewest}+ messages per connection`, ...more };
}

/** The unit a list of increments counts in, if it does (COUNTER_SHARE of them equal, every one a whole multiple). */
export function counterUnit(ups: readonly number[]): number | undefined {
  if (ups.length === 0) return undefined;
  const unit = Math.min(...ups);
  const whole = (d: number) => Math.abs(d / unit - Math.round(d / unit)) < 1e-6;
  const ones = ups.filter((d) => Math.abs(d - unit) <= 1e-9 * Math.abs(unit)).length;
  return ones >= COUNTER_SHARE * ups.length && ups.every(whole) ? unit : undefined;
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
