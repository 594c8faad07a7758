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
 */
export type LedgerFinding = 'tick_mismatch' | 'values_per_client';

const RETAIN_WINDOWS = 4;

interface WindowEntry {
  /** Server time the window starts at. */
  startTs: number;
  versions: Set<string>;
  flagged: boolean;
}

/** The ledger of one message type; keyed by numbers, so no key string is built per message. */
interface TypeLedger {
  ticks: Map<number, string>;
  windows: Map<number, WindowEntry>;
}

/**
 * The values of a tick every client must see alike, as one string: computed
 * once per distinct frame (the parser caches it), compared per client.
 *   fields [tps, height], payload {tps: 5, height: 7} -> "5\u00017\u0001"
 */
export function tickSignature(payload: Readonly<Record<string, unknown>>, fields: readonly string[]): string {
  let signature = '';
  for (const f of fields) signature += `${String(payload[f])}\u0001`;
  return signature;
}

export class TickLedger {
  private readonly types = new Map<string, TypeLedger>();
  private newestTs = 0;

  observe(type: string, intervalMs: number, ts: number, signature: string): LedgerFinding | undefined {
    if (ts > this.newestTs) this.newestTs = ts;
    let l = this.types.get(type);
    if (!l) {
      l = { ticks: new Map(), windows: new Map() };
      this.types.set(type, l);
    }
    const seen = l.ticks.get(ts);
    if (seen === undefined) l.ticks.set(ts, signature);
    else if (seen !== signature) return 'tick_mismatch';
    else return undefined; // same tick, same values: the window already has them

    const window = Math.floor(ts / intervalMs);
    let w = l.windows.get(window);
    if (!w) {
      w = { startTs: window * intervalMs, versions: new Set(), flagged: false };
      l.windows.set(window, w);
    }
    w.versions.add(signature);
    if (w.versions.size > 2 && !w.flagged) {
      w.flagged = true;
      return 'values_per_client';
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
 * A value that must move: it may never go back, and it must rise at least
 * once across RISING_WINDOW consecutive messages.
 *   height 10, 11, 12 -> fine; 12345, 12345, 12345 -> stuck; 12, 11 -> went back
 */
export const RISING_WINDOW = 3;

export interface RisingState {
  last: number | undefined;
  /** Consecutive messages that did not rise. */
  flat: number;
}

export function newRising(): RisingState {
  return { last: undefined, flat: 0 };
}

export function observeRising(s: RisingState, value: number): 'went_back' | 'stuck' | undefined {
  const prev = s.last;
  s.last = value;
  if (prev === undefined) return undefined;
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
