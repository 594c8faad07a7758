import { record, type Histogram } from '../metrics/histogram.js';
import type { ChannelSpec } from '../profile/index.js';
import { addGap, churnGap, judgeCadence, lostAtEnd, lostAtStart, openGapIsStall, silentTooLong, splitGap, type CadenceState } from './cadence.js';
import { describeFinding, newRising, observeRising, type RisingState } from './consistency.js';
import type { Checked } from './connection-checker.js';
import type { CheckContext } from './context.js';
import { OddGaps } from './odd-gaps.js';

/**
 * "Not yet" for the times written on every message. A number, not
 * undefined: V8 keeps a field that only ever held numbers a double updated
 * in place, and gives one that held undefined a new heap number on each
 * write; at 5,000 clients that is 15,000 live young objects, pointed at
 * from old ones, for every scavenge to copy (bench/harness.js).
 */
const NOT_YET = NaN;
const seen = (v: number): boolean => !Number.isNaN(v);
/** Whole epoch ms near the run's: a tick's timestamp less this is a small integer (see ChannelStream.tick). */
const TICK_BASE = Math.floor(Date.now());

/**
 * One client's view of one channel over one connection: cadence, loss,
 * duplicates, timestamps that go back, values that must rise.
 *
 * The start of a stream. A channel whose profile says `snapshotOnSubscribe`
 * may send its latest message at once on subscribe (for a self-starting
 * one: right after the welcome), before its first broadcast tick. That
 * first message opens the stream: a receive gap from it to the next one
 * shorter than the interval is not a cadence gap (one of an interval or
 * more is judged as any other: a server on per-client phases whose first
 * tick is the "snapshot", a drifting one, a stall), and the next one carrying the same
 * timestamp is the tick it showed early, not a duplicate. Loss is read from
 * timestamps as always. Without the key, an early message is judged like
 * any other.
 *   interval 2000, subscribe at 0: snapshot at 3 ms (stamped 0 or earlier),
 *   ticks at 450, 2450, 4450 -> gaps 2000, 2000 judged; 447 is the start;
 *   nothing lost, nothing doubled
 *   the same without snapshotOnSubscribe -> one gap of 447 (< 0.5 x): short
 *   snapshot at 3 ms, then nothing until 5000 -> a 4997 ms gap, judged (long)
 *   per-client phase: first at 3 ms, then 2004, 4005 -> gaps 2001, 2001 judged
 */
export class ChannelStream implements CadenceState {
  // The cadence state (cadence.ts) is the stream's own fields, not an
  // object of its own: one cache miss fewer per message at 5,000 clients.
  gaps = 0;
  sumMs = 0;
  long = 0;
  short = 0;
  private readonly rising: RisingState[];
  /** Harness wall time (ms) the channel was asked for, or the welcome for a self-starting one. */
  private startedAt: number | undefined;
  /** When the last message came (harness wall ms), NOT_YET before the first. */
  private lastRecv = NOT_YET;
  /**
   * The last tick's server timestamp is kept as ms from TICK_BASE: a whole
   * number of ms from an epoch timestamp then fits a small integer, which
   * V8 keeps in the object itself, where a double is a pointer to a box of
   * its own (a cache miss per message at 5,000 clients, ~2 % of the
   * harness's CPU). One that ms from the base would not give back exactly
   * (a fine fraction far from now) is kept as it is, in `exactTs`.
   */
  private tick = 0;
  private exactTs = NOT_YET;
  private hasTick = false;
  /** A tick stamped after the steady end has come: everything before it has, or never will. */
  private passedEnd = false;
  /** The first message may have been a snapshot: the next one is still the start (see above). */
  private opening = false;
  /** Resumed: the replayed ticks come in a burst, not on the cadence, until one comes at least half an interval after the last. */
  private catchingUp = false;
  received = 0;
  /** Bytes of the received messages' text (for the planned-size advisory). */
  bytes = 0;
  lost = 0;
  duplicates = 0;

  private readonly gapHistogram: Histogram;
  /** Off-cadence gaps, judged again at the finish against the harness's own stalls; made on the first. */
  private odd: OddGaps | undefined;

  constructor(
    private readonly ctx: CheckContext,
    readonly spec: ChannelSpec,
    private readonly client: number,
    /** Skip value checks (rising fields, same tick same values): --check-sample. */
    private readonly light = false,
    /**
     * After a churn: the old connection's last tick (server time) and when
     * the harness closed it. With `resume`, the server was asked to go on
     * after that tick (SSE `Last-Event-ID`): the stream continues from it,
     * a tick it does not send is lost, one sent again is a duplicate.
     */
    private readonly churned?: { lastTs: number; closedAt: number; resume?: boolean },
  ) {
    this.rising = spec.risingFields.map(() => newRising());
    if (churned?.resume) {
      this.lastTs = churned.lastTs;
      this.catchingUp = true;
    }
    this.gapHistogram = ctx.recorder.histogram(`gap_us:${spec.channel}`);
  }

  /** The last tick's server timestamp, NaN before the first. */
  private get lastTs(): number {
    if (!this.hasTick) return this.exactTs;
    return this.tick + TICK_BASE;
  }

  private set lastTs(ts: number) {
    const tick = ts - TICK_BASE;
    this.hasTick = tick + TICK_BASE === ts;
    if (this.hasTick) this.tick = tick;
    else this.exactTs = ts;
  }

  /** The last tick's server timestamp, for the connection that follows a churn. */
  get lastTimestamp(): number | undefined {
    const ts = this.lastTs;
    return seen(ts) ? ts : undefined;
  }

  get subscribed(): boolean {
    return this.startedAt !== undefined;
  }

  start(wallMs: number): void {
    if (this.startedAt === undefined) this.startedAt = wallMs;
  }

  onMessage(wallMs: number, frame: Checked, size = 0): void {
    const { recorder } = this.ctx;
    const ts = frame.timestamp;
    // In the drain after the steady end (engine/load-driver.ts) only late
    // ticks of the steady phase count; a newer one is outside the books, and
    // tells that nothing older is still coming (a stream is in order).
    if (wallMs > this.ctx.steadyEndMs && ts - this.ctx.clockOffsetMs > this.ctx.steadyEndMs) {
      this.passedEnd = true;
      return;
    }
    const interval = this.spec.intervalMs;
    const name = this.spec.channel;
    // read once: the getter does arithmetic (see `tick`)
    const prevTs = this.lastTs;
    if (ts === prevTs) {
      if (this.opening) {
        // the tick a snapshot showed early, now broadcast: one tick, counted once
        this.opening = false;
        this.lastRecv = wallMs;
        return;
      }
      // the same tick again: a duplicate, not a gap
      this.duplicates += 1;
      recorder.sample(wallMs, 'duplicate', this.client, `${this.spec.messageType} at ${ts} received twice`);
      return;
    }
    this.received += 1;
    this.bytes += size;
    if (ts < prevTs) {
      recorder.sample(wallMs, 'timestamp_went_back', this.client, `${this.spec.messageType} ${ts} after ${prevTs}`, this.spec.messageType);
    }
    this.lastTs = ts;

    // Loss is judged on server timestamps (which ticks were sent), cadence on
    // receive times (when they arrived): a late stream is not a lossy one.
    if (this.catchingUp && seen(prevTs)) {
      // a resumed stream: every tick after the one the last connection saw is due, replayed or live
      const split = splitGap(ts - prevTs, interval);
      this.lost += split.lost;
      if (split.lost > 0) recorder.count('resume_lost', split.lost);
      if (split.lost > 0) recorder.sample(wallMs, 'resume_gap', this.client, `${this.spec.messageType}: ${split.lost} tick(s) after ${prevTs} never came after the resume`);
      if (!seen(this.lastRecv)) recorder.observe(`first_us:${name}`, (wallMs - (this.startedAt ?? wallMs)) * 1000);
      else if (wallMs - this.lastRecv >= interval / 2) this.catchingUp = false;
    } else if (!seen(this.lastRecv) || !seen(prevTs)) {
      const since = this.startedAt ?? wallMs;
      recorder.observe(`first_us:${name}`, (wallMs - since) * 1000);
      this.lost += lostAtStart(ts - this.ctx.clockOffsetMs - since, interval);
      // "at once": within one interval of the subscribe (a first tick lands there anyway)
      this.opening = this.spec.snapshotOnSubscribe && wallMs - since <= interval;
      // the loss is in the books already (lostAtEnd on the old, lostAtStart here): the rest was the churn's
      const c = this.churned;
      if (c) recorder.count('churn_missed', churnGap(c.lastTs - this.ctx.clockOffsetMs, c.closedAt, since, ts - this.ctx.clockOffsetMs, interval).missed);
    } else {
      const split = splitGap(ts - prevTs, interval);
      this.lost += split.lost;
      const gap = wallMs - this.lastRecv;
      const start = this.opening && gap < interval;
      this.opening = false;
      if (!start) {
        const part = gap / split.parts;
        let odd = false;
        for (let i = 0; i < split.parts; i += 1) {
          odd = addGap(this, part, interval);
          record(this.gapHistogram, part * 1000);
        }
        // addGap has classified it: an off-cadence gap is kept for the stall check at the finish
        if (odd) (this.odd ??= new OddGaps()).note(this.lastRecv, wallMs, split.parts);
      }
    }
    this.lastRecv = wallMs;

    if (this.light) return;
    // the parser read the rising fields once per distinct frame, for the channel of its type
    const values = frame.channel === this.spec ? frame.rising : undefined;
    for (let i = 0; i < this.rising.length; i += 1) {
      const field = this.spec.risingFields[i];
      const v = values !== undefined ? values[i] : frame.payload[field];
      if (typeof v !== 'number') continue;
      const finding = observeRising(this.rising[i], v);
      if (finding) {
        const key = `${this.spec.messageType} ${field}`;
        recorder.sample(wallMs, `value_${finding}`, this.client, `${key} ${finding.replace('_', ' ')} at ${v}`, key);
      }
    }

    const signature = frame.signature;
    if (signature !== undefined) {
      const finding = this.ctx.ledger.observe(this.spec.messageType, interval, ts, signature, this.client);
      // one violation per field that differs, each under its finding: the field, the values, the clients
      if (finding) for (const f of describeFinding(finding, this.spec.messageType, interval, this.spec.sharedFields)) recorder.sample(wallMs, finding.kind, this.client, f.detail, f.key);
    }
  }

  /**
   * The gap left open at `endMs`, in ms. From the last receive, as the rest
   * of the stream's gaps; for a connection that lasts to the steady end,
   * the smaller of that and the gap in server time at the steady end: the
   * drain (engine/load-driver.ts) let every tick stamped up to then come,
   * however late, so whichever clock says the stream is caught up wins and
   * a late stream, or a server clock behind ours, is not counted lossy.
   *   steady end 10,000 (server time), last tick 9,000, interval 1,000 -> open 1,000: nothing lost
   */
  private openGap(endMs: number): number {
    const end = this.ctx.steadyEndMs;
    if (!seen(this.lastRecv) || !seen(this.lastTs)) return Math.min(endMs, end) - (this.startedAt ?? endMs);
    const sinceReceive = endMs - this.lastRecv;
    if (endMs < end) return sinceReceive;
    return Math.min(sinceReceive, end + this.ctx.clockOffsetMs - this.lastTs);
  }

  /**
   * Whether the drain has nothing to wait for here: closing the books now
   * would count no loss at the end, or waiting cannot change that (a newer
   * tick already came; the stream has stalled, or never started within
   * the stall bound).
   */
  settled(nowMs: number): boolean {
    const interval = this.spec.intervalMs;
    if (this.startedAt === undefined || this.passedEnd) return true;
    return openGapIsStall(nowMs - (seen(this.lastRecv) ? this.lastRecv : this.startedAt), interval) || lostAtEnd(this.openGap(nowMs), interval) === 0;
  }

  /**
   * Closes the books at the end of the connection: the open gap, the loss
   * it implies, and this client's cadence judgement.
   */
  finish(endMs: number, resuming = false): void {
    const { recorder } = this.ctx;
    const interval = this.spec.intervalMs;
    const name = this.spec.channel;
    if (this.startedAt === undefined) return;
    const open = this.openGap(endMs);
    // what the open gap leaves missing, past the edge tolerance (everything due, when nothing ever came);
    // a stream that resumes has it judged by the next connection, which asks for it again
    if (!resuming || !seen(this.lastTs)) this.lost += lostAtEnd(open, interval);
    if (!seen(this.lastRecv)) {
      if (open >= interval * 1.5) {
        recorder.count(`silent:${name}`);
        recorder.sample(endMs, 'channel_silent', this.client, `${name}: no message in ${Math.round(open)} ms`);
      }
    } else {
      if (openGapIsStall(open, interval)) {
        addGap(this, open, interval);
        recorder.observe(`gap_us:${name}`, open * 1000);
      }
    }
    const excused = this.odd?.excuse(this, interval, this.ctx.stalls) ?? 0;
    if (excused > 0) recorder.count(`cadence_stall_gaps:${name}`, excused);
    const judged = judgeCadence(this, interval);
    // nothing at all in over two intervals: off cadence, not too short to judge
    const silent = !seen(this.lastRecv) && silentTooLong(open, interval);
    recorder.count(`cadence_streams:${name}`);
    recorder.count(`gap_count:${name}`, this.gaps);
    recorder.count(`gap_sum_ms:${name}`, this.sumMs);
    if (!judged.ok || silent) {
      recorder.count(`cadence_off:${name}`);
      recorder.sample(endMs, 'cadence', this.client, `${name}: ${silent ? `no message in ${Math.round(open)} ms (interval ${interval} ms)` : judged.reason}`);
    }
    recorder.count(`received:${name}`, this.received);
    recorder.count(`expected:${name}`, this.received + this.lost);
    if (this.bytes > 0) recorder.count(`message_bytes:${name}`, this.bytes);
    if (this.lost > 0) {
      recorder.count(`lost:${name}`, this.lost);
      recorder.sample(endMs, 'lost', this.client, `${name}: ${this.lost} message(s) missing`);
    }
    if (this.duplicates > 0) recorder.count(`duplicates:${name}`, this.duplicates);
  }
}
