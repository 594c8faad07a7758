import { NO_FAULTS, type FaultSet } from '../source/fault-spec.js';
import { stringKey, unitHash } from './prng.js';

/**
 * The faults in force and the dice they roll. Every decision is a pure hash of
 * (seed, fault, connection ordinal, channel, tick), so a run under `--seed`
 * drops, duplicates or garbles the same messages of the same connections
 * whatever the timing, and two faults never share a die.
 */

const DROP = stringKey('drop');
const MALFORMED = stringKey('malformed');
const DUPLICATE = stringKey('duplicate');
const OVERSIZE = stringKey('oversize');
const DISCONNECT = stringKey('disconnect');

/** What happens to one channel message on its way to one client. */
export interface MessageFate {
  readonly drop: boolean;
  readonly malformed: boolean;
  readonly oversize: boolean;
  readonly duplicate: boolean;
}

const CLEAN: MessageFate = { drop: false, malformed: false, oversize: false, duplicate: false };

export class FaultState {
  private current: FaultSet = NO_FAULTS;
  /** When each stall was set, so changing other faults does not restart its delay. */
  private stallSince = new Map<string, number>();

  constructor(private readonly seed: number) {}

  get set(): FaultSet {
    return this.current;
  }

  replace(set: FaultSet, nowMs: number = Date.now()): void {
    const since = new Map<string, number>();
    for (const s of set.stalls) {
      const key = `${s.channel}@${s.afterMs}`;
      since.set(key, this.stallSince.get(key) ?? nowMs);
    }
    this.current = set;
    this.stallSince = since;
  }

  /** Some fault acts on single messages, so the broadcast needs per-client fates. */
  get perMessage(): boolean {
    const f = this.current;
    // `resume=skip` drops one event per resumed client: it needs the per-client path too
    return f.drop !== undefined || f.malformed !== undefined || f.duplicate !== undefined || f.oversize !== undefined || f.resume === 'skip';
  }

  /** A stall with a delay starts that long after the faults were set. */
  stalled(channel: string, nowMs: number): boolean {
    return this.current.stalls.some(
      (s) =>
        (s.channel === '*' || s.channel === channel) &&
        nowMs >= (this.stallSince.get(`${s.channel}@${s.afterMs}`) ?? nowMs) + s.afterMs,
    );
  }

  fate(clientSeq: number, channelIndex: number, tickIndex: number): MessageFate {
    const f = this.current;
    if (!this.perMessage) return CLEAN;
    const roll = (fault: number, p: number | undefined): boolean =>
      p !== undefined && p > 0 && unitHash(this.seed, fault, clientSeq, channelIndex, tickIndex) < p;
    return {
      drop: roll(DROP, f.drop),
      malformed: roll(MALFORMED, f.malformed),
      oversize: roll(OVERSIZE, f.oversize?.chance),
      duplicate: roll(DUPLICATE, f.duplicate),
    };
  }

  /** For `disconnect=<p>%`: is this connection cut in this second? */
  disconnectNow(clientSeq: number, secondIndex: number): boolean {
    const d = this.current.disconnect;
    return d?.kind === 'rate' && unitHash(this.seed, DISCONNECT, clientSeq, secondIndex) < d.chance;
  }
}
