import { addEncoded, decodedSummary, encodeSummarized, mergeSummarized, newHistogram, summarizeEncoded, type Histogram, type HistogramSummary } from './histogram.js';
import type { IntervalSnapshot } from './interval.js';
import type { Counters, EncodedHistograms, HistogramKey } from './names.js';
import type { ResourceSeries } from './resource-series.js';
import { emptySnapshot, mergePoints, mergeSnapshots, SNAPSHOT_VERSION, type MetricsSnapshot, type Sample, type SeriesPoint } from './snapshot.js';

/** Closed seconds kept for the live view: an hour, so a 30-minute soak shows whole and memory stays bounded. */
export const LIVE_SECONDS = 3600;
/**
 * Complete seconds whose processes' latency decodings are kept for the
 * fold. A watched run folds each second, so two or three are ever waiting;
 * a run nobody watches folds only to judge, and its older seconds are
 * decoded again then (a decoding is tens of KB: not kept for an hour).
 */
const DECODED_KEPT = 4;
/**
 * Intervals, of each process (about a second each), before a whole-run
 * histogram other than latency that a judgement merged from several
 * processes is merged again.
 * Past the ramp those still moving are the gaps between messages, whose
 * criterion (cadence) is judged at the end; merging them at each judgement
 * (every 10 s at 5,000 clients) was two thirds of its cost and the largest
 * part of what judging cost there (bench/live-cost.js). A key never merged,
 * or last merged from fewer processes, is merged at once; so is latency
 * outside the seconds (the frame's run figure reads it); the run's latency
 * is otherwise the book's own, fresh each time.
 */
export const REMERGE_INTERVALS = 30;

interface Source {
  counters: Counters;
  histograms: EncodedHistograms;
  closed: number;
}

/**
 * The run's metrics so far, merged from the intervals of every client
 * process (interval.ts) as they arrive: what the live view, the exports and
 * the progress line read. A second is complete once every process has
 * closed it; only complete seconds are given out, merged as the final
 * snapshot merges them, so a live figure of a second equals the report's.
 * Memory is bounded: the last LIVE_SECONDS points, the samples capped as a
 * snapshot caps them, the whole run's latency as one histogram.
 */
export class LiveBook {
  private readonly sources = new Map<number, Source>();
  /** Points of seconds some process has not closed yet, merged so far. */
  private readonly pending = new Map<number, SeriesPoint>();
  private readonly points: SeriesPoint[] = [];
  private readonly latency: Histogram = newHistogram();
  /**
   * Complete seconds whose latency is not in `latency` yet: folded in when
   * a snapshot is asked for (the live view), so a run nobody watches never
   * decodes them; at most LIVE_SECONDS wait.
   */
  private unfolded: SeriesPoint[] = [];
  /**
   * Each process's latency decoding of a second that some merge has decoded
   * (more than one process sent it), by second: the fold adds these rather
   * than decoding the merge's encoding again, one decoding a second fewer
   * at the same counts. Kept while the second is pending or among the last
   * DECODED_KEPT unfolded.
   */
  private readonly decoded = new Map<number, Histogram[]>();
  private readonly byType = new Map<string, number>();
  private samples: Sample[] = [];
  private readonly fresh: { points: SeriesPoint[]; samples: Sample[] } = { points: [], samples: [] };
  private merged?: { at: number; histograms: EncodedHistograms };
  private changes = 0;
  /** Keys whose sources sent a new encoding since the last merge: only these are merged again. */
  private readonly stale = new Set<HistogramKey>();
  /** When each key was last merged (as `added`), and from how many processes' encodings. */
  private readonly mergedAt = new Map<HistogramKey, { at: number; sources: number }>();
  /** Intervals added: the snapshot is made again only after one. */
  private added = 0;
  private made?: { at: number; snapshot: MetricsSnapshot };
  private summed?: { at: number; counters: Counters };
  private latencyRun?: { at: number; summary: HistogramSummary };
  /** Seconds folded into `latency`. */
  private folded = 0;
  /** The target's resources so far, when sampled (set by the engine). */
  resources?: () => ResourceSeries[] | undefined;

  constructor(private readonly processes: number) {}

  /** Adds process `source`'s interval. */
  add(source: number, interval: IntervalSnapshot): void {
    this.added += 1;
    const prev = this.sources.get(source);
    this.sources.set(source, {
      counters: interval.counters,
      histograms: { ...prev?.histograms, ...interval.histograms },
      closed: interval.closed,
    });
    const changed = Object.keys(interval.histograms) as HistogramKey[];
    for (const k of changed) this.stale.add(k);
    if (changed.length > 0) this.changes += 1;
    for (const p of interval.series) {
      const before = this.pending.get(p.t);
      this.pending.set(p.t, before ? this.mergePoint(before, p) : p);
    }
    if (interval.samples.length > 0) {
      const kept = mergeSnapshots({ ...emptySnapshot(), samples: this.samples }, { ...emptySnapshot(), samples: interval.samples }).samples;
      this.fresh.samples.push(...interval.samples);
      this.samples = kept;
    }
    this.settle();
  }

  /** Every second before this one is complete (every process closed it); -1 before all have reported. */
  get closed(): number {
    if (this.sources.size < this.processes) return -1;
    return Math.min(...[...this.sources.values()].map((s) => s.closed));
  }

  private settle(): void {
    const closed = this.closed;
    for (const t of [...this.pending.keys()].sort((a, b) => a - b)) {
      if (t >= closed) break;
      const p = this.pending.get(t)!;
      this.pending.delete(t);
      this.points.push(p);
      this.fresh.points.push(p);
      if (this.points.length > LIVE_SECONDS) this.points.shift();
      this.unfolded.push(p);
      if (this.unfolded.length > DECODED_KEPT) this.decoded.delete(this.unfolded[this.unfolded.length - 1 - DECODED_KEPT].t);
      if (this.unfolded.length > LIVE_SECONDS) this.fold();
      for (const [k, v] of Object.entries(p.messages)) this.byType.set(k, (this.byType.get(k) ?? 0) + v);
    }
  }

  /** The complete seconds and the violations that came since the last call. */
  takeFresh(): { points: SeriesPoint[]; samples: Sample[] } {
    const out = { points: this.fresh.points.splice(0), samples: this.fresh.samples.splice(0) };
    return out;
  }

  /** The complete seconds kept, oldest first. */
  series(): readonly SeriesPoint[] {
    return this.points;
  }

  /** Messages by type over every complete second. */
  messagesByType(): Record<string, number> {
    return Object.fromEntries(this.byType);
  }

  /**
   * The run so far as one snapshot, for the verdict to judge: the totals,
   * the histograms merged across processes, the kept seconds and samples.
   */
  snapshot(): MetricsSnapshot {
    if (this.made?.at !== this.added) this.made = { at: this.added, snapshot: this.make() };
    const resources = this.resources?.();
    return { ...this.made.snapshot, ...(resources?.length ? { resources } : {}) };
  }

  /**
   * The run's counters so far, every process's summed, with the messages by
   * type of the complete seconds: what the snapshot holds, for a frame each
   * second without making one.
   */
  counters(): Counters {
    if (this.summed?.at === this.added) return this.summed.counters;
    const counters: Counters = {};
    for (const s of this.sources.values()) for (const [k, v] of Object.entries(s.counters)) counters[k as keyof Counters] = (counters[k as keyof Counters] ?? 0) + (v ?? 0);
    for (const [k, v] of this.byType) counters[`messages:${k}`] = v;
    this.summed = { at: this.added, counters };
    return counters;
  }

  /**
   * The whole run's latency so far (µs), as the snapshot's encoding of it
   * summarizes, without encoding it: the frame shows it each second,
   * a judgement reads the encoding less often.
   */
  latencySummary(): HistogramSummary {
    this.fold();
    // latency outside the seconds (rare) is merged from the processes: the snapshot's then
    for (const src of this.sources.values()) if (src.histograms.latency_us) return summarizeEncoded(this.snapshot().histograms.latency_us);
    return { ...this.ownLatencySummary() };
  }

  /** The folded seconds' latency, summarized as its encoding would be; once per second folded. */
  private ownLatencySummary(): HistogramSummary {
    if (this.latencyRun?.at !== this.folded) this.latencyRun = { at: this.folded, summary: decodedSummary(this.latency) };
    return this.latencyRun.summary;
  }

  private fold(): void {
    for (const p of this.unfolded) {
      const parts = this.decoded.get(p.t);
      // the merge remembered its encoding's summary (encodeSummarized) for the judgement
      if (parts) for (const d of parts) this.latency.add(d);
      else addEncoded(this.latency, p.latency, true);
      this.decoded.delete(p.t);
    }
    this.folded += this.unfolded.length;
    this.unfolded = [];
  }

  private make(): MetricsSnapshot {
    this.fold();
    const counters = { ...this.counters() };
    if (!this.merged || this.merged.at !== this.changes || this.stale.size > 0) this.merged = { at: this.changes, histograms: this.mergeHistograms() };
    const histograms: EncodedHistograms = { ...this.merged.histograms };
    // latency outside the seconds (rare) joins a copy; otherwise the book's own is the run's
    const outside = histograms.latency_us;
    if (outside) {
      const whole = newHistogram();
      whole.add(this.latency);
      addEncoded(whole, outside);
      histograms.latency_us = encodeSummarized(whole);
    } else histograms.latency_us = encodeSummarized(this.latency, this.ownLatencySummary());
    return { version: SNAPSHOT_VERSION, counters, histograms, series: [...this.points], samples: [...this.samples] };
  }

  /**
   * Two processes' points of one second as one, as the snapshot's merge
   * does (the same counts, so the same encoding), each process's latency
   * decoded once however many merge into the second.
   */
  private mergePoint(a: SeriesPoint, b: SeriesPoint): SeriesPoint {
    const sum = newHistogram();
    const parts = this.decoded.get(a.t);
    if (parts) for (const d of parts) sum.add(d);
    const kept = parts ?? [addEncoded(sum, a.latency)];
    kept.push(addEncoded(sum, b.latency));
    this.decoded.set(a.t, kept);
    return mergePoints(a, b, encodeSummarized(sum));
  }

  private mergeHistograms(): EncodedHistograms {
    const out: EncodedHistograms = { ...this.merged?.histograms };
    for (const k of this.stale) {
      const list = [...this.sources.values()].map((s) => s.histograms[k]).filter((v): v is string => v !== undefined);
      // one process's encoding is taken as it is, at no cost; a merge of the same processes as the
      // last waits its turn; one with a process more (a late start) or of latency (the frame's) does not
      const last = this.mergedAt.get(k);
      const waits = list.length > 1 && k !== 'latency_us' && last?.sources === list.length && this.added - last.at < REMERGE_INTERVALS * this.processes;
      if (waits) continue;
      out[k] = list.length === 1 ? list[0] : mergeSummarized(list);
      this.mergedAt.set(k, { at: this.added, sources: list.length });
      this.stale.delete(k);
    }
    return out;
  }
}
