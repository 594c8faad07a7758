import { encodeHistogram, newHistogram, record, type Histogram } from './histogram.js';
import type { CounterKey, Counters, EncodedHistograms, HistogramKey, ViolationKind } from './names.js';
import type { IntervalSnapshot } from './interval.js';
import { FINDINGS_PER_KIND, SAMPLE_CAP, SAMPLES_PER_FINDING, SAMPLES_PER_KIND, SNAPSHOT_VERSION, sampleKey, type MetricsSnapshot, type Sample, type SeriesPoint } from './snapshot.js';

/**
 * Intervals between two sendings of the whole run's histograms (interval()):
 * every 10 s, as often as the live view judges at 5,000 clients
 * (live/live-view.ts, JUDGE_MAX_PERIOD_MS): merging them was a third of a
 * judgement's cost there (bench/live-cost.js), and more often than it
 * judges is for nobody. Latency goes with every closed second regardless.
 */
const HISTOGRAMS_EVERY = 10;

interface LiveSecond {
  open: number;
  messages: Record<string, number>;
  bytes: number;
  disconnects: number;
  reconnects: number;
  opens: number;
  cuts: number;
  churns: number;
  latency: Histogram;
}

/**
 * The mutable side of metrics: the engine and the checks write here on the
 * hot path (no allocation per message beyond the histogram's own), and
 * `snapshot()` freezes it into the mergeable form.
 */
export class Recorder {
  // keyed by the checked names (names.ts): a typo does not compile
  private readonly counters = new Map<CounterKey, number>();
  private readonly histograms = new Map<HistogramKey, Histogram>();
  private readonly seconds = new Map<number, LiveSecond>();
  private readonly samples: Sample[] = [];
  private readonly sampleCounts = new Map<string, number>();
  /** The second most frames land in, kept to skip a map lookup per frame. */
  private currentT = -1;
  private current: LiveSecond | undefined;
  /** Frames and wire bytes received, kept as fields: they change per frame. */
  frames = 0;
  bytes = 0;
  /** What `interval()` has sent: the first second not yet sent, the samples and histogram counts sent. */
  private sent = { t: -1, open: 0, samples: 0, counts: new Map<HistogramKey, number>(), intervals: 0 };

  count(name: CounterKey, by = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + by);
  }

  counter(name: CounterKey): number {
    return this.counters.get(name) ?? 0;
  }

  histogram(name: HistogramKey): Histogram {
    let h = this.histograms.get(name);
    if (!h) {
      h = newHistogram();
      this.histograms.set(name, h);
    }
    return h;
  }

  observe(name: HistogramKey, value: number): void {
    record(this.histogram(name), value);
  }

  private second(wallMs: number): LiveSecond {
    const t = Math.floor(wallMs / 1000);
    if (t === this.currentT && this.current) return this.current;
    let s = this.seconds.get(t);
    if (!s) {
      s = { open: -1, messages: {}, bytes: 0, disconnects: 0, reconnects: 0, opens: 0, cuts: 0, churns: 0, latency: newHistogram() };
      this.seconds.set(t, s);
    }
    if (t >= this.currentT) {
      this.currentT = t;
      this.current = s;
    }
    return s;
  }

  /** A received frame: totals, and the per-second series by message type. */
  frame(wallMs: number, type: string, bytes: number): void {
    this.frames += 1;
    this.bytes += bytes;
    const s = this.second(wallMs);
    s.messages[type] = (s.messages[type] ?? 0) + 1;
    s.bytes += bytes;
  }

  latency(wallMs: number, micros: number): void {
    // only per second: the whole run's latency_us is their sum, made at snapshot
    record(this.second(wallMs).latency, micros);
  }

  disconnect(wallMs: number): void {
    this.second(wallMs).disconnects += 1;
  }

  reconnect(wallMs: number): void {
    this.second(wallMs).reconnects += 1;
  }

  /** A connection opened (first, reconnect or churn): memory per connection opened is fitted on these. */
  opened(wallMs: number): void {
    this.second(wallMs).opens += 1;
  }

  /** A connection the harness cut on purpose (chaos): when, for the charts' markers. */
  cut(wallMs: number): void {
    this.second(wallMs).cuts += 1;
  }

  /** A connection the harness closed for churn: counted, and when, for the charts' markers. */
  churned(wallMs: number): void {
    this.count('churn_closes');
    this.second(wallMs).churns += 1;
  }

  /** Frames and latency p99 (ms) of one epoch second so far, for progress lines; p99 null without a message. */
  secondStats(t: number): { frames: number; latencyP99Ms: number | null } {
    const s = this.seconds.get(t);
    if (!s) return { frames: 0, latencyP99Ms: null };
    let frames = 0;
    for (const n of Object.values(s.messages)) frames += n;
    return { frames, latencyP99Ms: s.latency.totalCount > 0 ? s.latency.getValueAtPercentile(99) / 1000 : null };
  }

  /** Clients open, sampled once a second by the engine. */
  open(wallMs: number, clients: number): void {
    this.second(wallMs).open = clients;
  }

  /**
   * Keeps an example of a violation. Only the first few of each kind are
   * kept, so a flood of one defect cannot crowd out the others or the heap.
   * A violation with a `finding` (one root cause within the kind, e.g.
   * `reading celsius` for tick_mismatch) is also counted under
   * `finding:<kind> <finding>`, and only the first example of each finding
   * is kept, for up to FINDINGS_PER_KIND findings of a kind: the count says
   * how often, the example what.
   */
  sample(at: number, kind: ViolationKind, client: number, detail: string, finding?: string): void {
    this.count(`violation:${kind}`);
    this.count('violations');
    if (finding !== undefined) this.count(`finding:${kind} ${finding}`);
    if (this.samples.length >= SAMPLE_CAP) return;
    // the same caps as the snapshot's merge (capSamples): a kind's plain examples and its findings' apart
    const key = finding === undefined ? undefined : sampleKey(kind, finding);
    const kindKey = finding === undefined ? kind : sampleKey(kind, '');
    const seen = this.sampleCounts.get(kindKey) ?? 0;
    if (seen >= (finding === undefined ? SAMPLES_PER_KIND : FINDINGS_PER_KIND)) return;
    const ofFinding = key === undefined ? 0 : (this.sampleCounts.get(key) ?? 0);
    if (key !== undefined && ofFinding >= SAMPLES_PER_FINDING) return;
    this.sampleCounts.set(kindKey, seen + 1);
    if (key !== undefined) this.sampleCounts.set(key, ofFinding + 1);
    const sample: Sample = { at, kind, client, detail: detail.length > 200 ? `${detail.slice(0, 200)}…` : detail };
    if (finding !== undefined) sample.finding = finding;
    this.samples.push(sample);
  }

  /** The series point of second t, its open count carried over from `lastOpen` when the second sampled none. */
  private point(t: number, lastOpen: number, empty: string): SeriesPoint {
    const s = this.seconds.get(t);
    return {
      t,
      open: s && s.open >= 0 ? s.open : lastOpen,
      messages: s ? { ...s.messages } : {},
      bytes: s?.bytes ?? 0,
      disconnects: s?.disconnects ?? 0,
      reconnects: s?.reconnects ?? 0,
      opens: s?.opens ?? 0,
      cuts: s?.cuts ?? 0,
      churns: s?.churns ?? 0,
      latency: s ? encodeHistogram(s.latency) : empty,
    };
  }

  /**
   * What changed since the last call (interval.ts): the seconds before
   * `nowMs`'s that closed, the samples kept, the totals. The points are those
   * `snapshot()` will give for the same seconds; the whole run's latency is
   * theirs, so it is not sent twice.
   */
  interval(nowMs: number): IntervalSnapshot {
    const closed = Math.floor(nowMs / 1000);
    const series: SeriesPoint[] = [];
    if (this.sent.t < 0 && this.seconds.size > 0) this.sent.t = Math.min(...this.seconds.keys());
    if (this.sent.t >= 0) {
      const empty = emptyEncoding();
      for (let t = this.sent.t; t < closed; t += 1) {
        const p = this.point(t, this.sent.open, empty);
        this.sent.open = p.open;
        series.push(p);
      }
      this.sent.t = Math.max(this.sent.t, closed);
    }
    const histograms: EncodedHistograms = {};
    // the whole run's histograms (connect, gaps, ...) every HISTOGRAMS_EVERY intervals: encoding and
    // merging them each second cost more than a live view needs (latency goes with every closed second)
    const withHistograms = this.sent.intervals++ % HISTOGRAMS_EVERY === 0;
    for (const [k, h] of withHistograms ? this.histograms : []) {
      if (this.sent.counts.get(k) === h.totalCount) continue;
      this.sent.counts.set(k, h.totalCount);
      histograms[k] = encodeHistogram(h);
    }
    const counters: Counters = Object.fromEntries(this.counters);
    counters.frames = (counters.frames ?? 0) + this.frames;
    counters.bytes = (counters.bytes ?? 0) + this.bytes;
    const samples = this.samples.slice(this.sent.samples);
    this.sent.samples = this.samples.length;
    return { closed, counters, histograms, series, samples };
  }

  snapshot(): MetricsSnapshot {
    const series: SeriesPoint[] = [];
    // per-type totals are the sum of the series: no per-frame counter needed
    const byType = new Map<string, number>();
    for (const sec of this.seconds.values()) for (const [k, v] of Object.entries(sec.messages)) byType.set(k, (byType.get(k) ?? 0) + v);
    // One point for every second from the first to the last, the open count
    // carried over quiet seconds: merged with another process's series, a
    // second missing here would otherwise count this process's clients as 0.
    const ts = [...this.seconds.keys()].sort((a, b) => a - b);
    const empty = emptyEncoding();
    let lastOpen = 0;
    for (let t = ts[0] ?? 0; ts.length > 0 && t <= ts[ts.length - 1]; t += 1) {
      const p = this.point(t, lastOpen, empty);
      lastOpen = p.open;
      series.push(p);
    }
    const histograms: EncodedHistograms = {};
    for (const [k, h] of this.histograms) if (k !== 'latency_us') histograms[k] = encodeHistogram(h);
    const latency = newHistogram();
    const observed = this.histograms.get('latency_us');
    if (observed) latency.add(observed);
    for (const s of this.seconds.values()) latency.add(s.latency);
    histograms.latency_us = encodeHistogram(latency);
    const counters: Counters = Object.fromEntries(this.counters);
    counters.frames = (counters.frames ?? 0) + this.frames;
    counters.bytes = (counters.bytes ?? 0) + this.bytes;
    for (const [k, v] of byType) counters[`messages:${k}`] = (counters[`messages:${k}`] ?? 0) + v;
    return {
      version: SNAPSHOT_VERSION,
      counters,
      histograms,
      series,
      samples: [...this.samples].sort((a, b) => a.at - b.at),
    };
  }
}

let empty: string | undefined;
/** An empty histogram's encoding, made once: a second without messages is sent with it each second. */
function emptyEncoding(): string {
  return (empty ??= encodeHistogram(newHistogram()));
}
