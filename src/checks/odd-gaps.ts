import type { StallLookup } from '../metrics/harness-stalls.js';
import { excuseGaps, stallCouldExplain, type CadenceState } from './cadence.js';

/** Off-cadence gaps a stream keeps for the stall check at its finish; past this many it is off whatever the harness did. */
const KEPT = 32;

/**
 * One stream's off-cadence gaps, as (previous read, read, parts) triples,
 * judged again when the stream finishes against the harness's own stalls:
 * the ledger learns of a stall only once the loop is free again, after the
 * reads it held back (metrics/harness-stalls.ts).
 */
export class OddGaps {
  private readonly spans: number[] = [];

  note(prevReadMs: number, readMs: number, parts: number): void {
    if (this.spans.length < KEPT * 3) this.spans.push(prevReadMs, readMs, parts);
  }

  /** Takes back from `state` the gaps the stalls could explain; how many. */
  excuse(state: CadenceState, intervalMs: number, stalls: StallLookup): number {
    const arrivedFrom = (ms: number) => stalls.arrivedFrom(ms);
    const s = this.spans;
    let excused = 0;
    for (let i = 0; i < s.length; i += 3) {
      const [from, to, parts] = [s[i], s[i + 1], s[i + 2]];
      if (!stallCouldExplain(from, to, parts, intervalMs, arrivedFrom)) continue;
      excuseGaps(state, (to - from) / parts, intervalMs, parts);
      excused += parts;
    }
    s.length = 0;
    return excused;
  }
}
