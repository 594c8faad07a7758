/**
 * Cross-client and per-client consistency of the data, as pure-ish ledgers
 * the checker feeds.
 *
 * Same tick, same values: messages of one type carrying the same server
 * timestamp are one tick, and every client must see the same shared fields.
 * Values drawn per client: a server that updates a value once per interval
 * can show at most two versions of it inside one interval-wide window of
 * server time (before and after the update), so three or more distinct
 * versions in one window mean clients get their own values.
 *   tps, window 1730000000000..+1000: {801234} from 10 clients -> fine
 *   tps, same window: {801234, 790112, 812345} -> values drawn per client
 *
 * A finding names the shared fields that differ (by their index in the
 * channel's shared fields), the values and the clients that saw them: one
 * root cause (say one field drawn per client) is then one finding, counted,
 * with an example, not thousands of anonymous mismatches.
 */
export type LedgerKind = 'tick_mismatch' | 'values_per_client';

export interface Sighting {
  client: number;
  /** The tick's shared values as one signature (see tickSignature). */
  signature: string;
}

export interface LedgerFinding {
  kind: LedgerKind;
  /** The tick's timestamp (tick_mismatch) or the window's first (values_per_client). */
  ts: number;
  /** Who saw what: the first sighting and this one (tick_mismatch), or the window's three versions. */
  seen: readonly Sighting[];
  /** Indices of the shared fields that differ between them. */
  fields: readonly number[];
}

const RETAIN_WINDOWS = 4;
const SEP = '\u0001';

interface WindowEntry {
  /** Server time the window starts at. */
  startTs: number;
  /** Each version seen in the window, with the first client that saw it. */
  versions: Map<string, number>;
  flagged: boolean;
}

/** The ledger of one message type; keyed by numbers, so no key string is built per message. */
interface TypeLedger {
  ticks: Map<number, Sighting>;
  windows: Map<number, WindowEntry>;
}

/**
 * The values of a tick every client must see alike, as one string: computed
 * once per distinct frame (the parser caches it), compared per client.
 *   fields [tps, height], payload {tps: 5, height: 7} -> "5\u00017\u0001"
 */
export function tickSignature(payload: Readonly<Record<string, unknown>>, fields: readonly string[]): string {
  let signature = '';
  for (const f of fields) signature += `${String(payload[f])}${SEP}`;
  return signature;
}

/** The values of a signature, in the order of the shared fields. */
export function signatureValues(signature: string): string[] {
  return signature.split(SEP).slice(0, -1);
}

/**
 * The fields on which the sightings disagree most: those with a distinct
 * value for each sighting, else those with any difference.
 *   ["5|7", "6|7", "8|7"] -> [0]; ["5|7", "6|7", "6|8"] -> [0, 1]
 */
function differingFields(seen: readonly Sighting[]): number[] {
  const values = seen.map((s) => signatureValues(s.signature));
  const distinct = values[0].map((_, i) => new Set(values.map((v) => v[i])).size);
  const all = distinct.flatMap((n, i) => (n === seen.length ? [i] : []));
  return all.length > 0 ? all : distinct.flatMap((n, i) => (n > 1 ? [i] : []));
}

export class TickLedger {
  private readonly types = new Map<string, TypeLedger>();
  private newestTs = 0;

  observe(type: string, intervalMs: number, ts: number, signature: string, client = 0): LedgerFinding | undefined {
    if (ts > this.newestTs) this.newestTs = ts;
    let l = this.types.get(type);
    if (!l) {
      l = { ticks: new Map(), windows: new Map() };
      this.types.set(type, l);
    }
    const first = l.ticks.get(ts);
    if (first === undefined) l.ticks.set(ts, { client, signature });
    else if (first.signature !== signature) {
      const seen = [first, { client, signature }];
      return { kind: 'tick_mismatch', ts, seen, fields: differingFields(seen) };
    } else return undefined; // same tick, same values: the window already has them

    const window = Math.floor(ts / intervalMs);
    let w = l.windows.get(window);
    if (!w) {
      w = { startTs: window * intervalMs, versions: new Map(), flagged: false };
      l.windows.set(window, w);
    }
    if (!w.versions.has(signature)) w.versions.set(signature, client);
    if (w.versions.size > 2 && !w.flagged) {
      w.flagged = true;
      const seen = [...w.versions].map(([sig, c]) => ({ client: c, signature: sig }));
      return { kind: 'values_per_client', ts: w.startTs, seen, fields: differingFields(seen) };
    }
    return undefined;
  }

  /** Forgets ticks older than a few of the longest interval; call once a second. */
  prune(longestIntervalMs: number): void {
    const cutoff = this.newestTs - RETAIN_WINDOWS * longestIntervalMs;
    for (const l of this.types.values()) {
      for (const ts of l.ticks.keys()) {
        if (ts >= cutoff) break; // insertion order is close to time order
        l.ticks.delete(ts);
      }
      for (const [window, w] of l.windows) {
        if (w.startTs >= cutoff) break;
        l.windows.delete(window);
      }
    }
  }
}

/**
 * One finding per differing field, as the recorder keeps it: the finding's
 * key (message type and field; counted under `finding:<kind> <key>`) and an
 * example that names the field, the values and the clients.
 *   tick_mismatch:     "reading celsius: client 3 saw 101.25, client 7 saw 99.5 at ts 1730000000000"
 *   values_per_client: "reading celsius: 3 versions in the 1000 ms window from ts 1730000000000:
 *                       client 1 saw 801234, client 2 saw 790112, client 4 saw 812345"
 */
export function describeFinding(f: LedgerFinding, type: string, intervalMs: number, fields: readonly string[]): Array<{ key: string; detail: string }> {
  const values = f.seen.map((s) => signatureValues(s.signature));
  return f.fields.map((i) => {
    const key = `${type} ${fields[i]}`;
    const who = f.seen.map((s, j) => `client ${s.client} saw ${values[j][i]}`).join(', ');
    const detail = f.kind === 'tick_mismatch'
      ? `${key}: ${who} at ts ${f.ts}`
      : `${key}: ${f.seen.length} versions in the ${intervalMs} ms window from ts ${f.ts}: ${who}`;
    return { key, detail };
  });
}

/**
 * A value that must move: it may never go back, and it must rise at least
 * once across RISING_WINDOW consecutive messages.
 *   height 10, 11, 12 -> fine; 12345, 12345, 12345 -> stuck; 12, 11 -> went back
 */
export const RISING_WINDOW = 3;

export interface RisingState {
  /** The last value, NaN before the first (a number: written per message, see NOT_YET in channel-stream.ts). */
  last: number;
  /** Consecutive messages that did not rise. */
  flat: number;
}

export function newRising(): RisingState {
  return { last: NaN, flat: 0 };
}

export function observeRising(s: RisingState, value: number): 'went_back' | 'stuck' | undefined {
  const prev = s.last;
  s.last = value;
  if (Number.isNaN(prev)) return undefined;
  if (value < prev) {
    s.flat = 0;
    return 'went_back';
  }
  if (value === prev) {
    s.flat += 1;
    // report once when the run of flat values reaches the window
    return s.flat === RISING_WINDOW - 1 ? 'stuck' : undefined;
  }
  s.flat = 0;
  return undefined;
}
