import { LIVE_QUANTILES, type LiveLabels, type LiveMetricName } from '../metrics/live-names.js';
import type { LiveFrame } from './frame.js';
import type { LiveSink } from './live-view.js';
import { Poster } from './http-post.js';
import { PushStats } from './push-stats.js';
import { encodeWrite, labelKey, REMOTE_WRITE_HEADERS, type RwSeries } from './remote-write.js';

/** A push gets this long; the next second's push then carries on. */
const PUSH_TIMEOUT_MS = 2000;
/** Samples kept while a push is in flight; past this the oldest are dropped (a backend that cannot keep up must not grow the heap). */
const MAX_WAITING = 20_000;

/**
 * The frame's figures as remote-write series: the per-second ones stamped
 * with their second (so a backend's series equals the report's), the totals
 * with the frame's time.
 */
export function frameSeries(frame: LiveFrame, labels: LiveLabels): RwSeries[] {
  const out: RwSeries[] = [];
  const add = (name: LiveMetricName, value: number | null, timestamp: number, extra: Record<string, string> = {}) => {
    if (value === null || !Number.isFinite(value)) return;
    out.push({ labels: { __name__: name, ...labels, ...extra }, samples: [{ value, timestamp }] });
  };
  for (const p of frame.points) {
    const at = p.t * 1000;
    add('livestream_clients_open', p.open, at);
    for (const [channel, n] of Object.entries(p.messages)) add('livestream_messages_per_second', n, at, { channel });
    LIVE_QUANTILES.forEach((q) => add('livestream_latency_seconds', (q === 1 ? p.latencyMs.max : q === 0.5 ? p.latencyMs.p50 : q === 0.9 ? p.latencyMs.p90 : p.latencyMs.p99) / 1000, at, { quantile: String(q) }));
  }
  const at = frame.at;
  add('livestream_clients_planned', frame.planned, at);
  for (const [channel, n] of Object.entries(frame.totals.messages)) add('livestream_messages_total', n, at, { channel });
  add('livestream_bytes_total', frame.totals.bytes, at);
  add('livestream_violations_total', frame.totals.violations, at);
  add('livestream_disconnects_total', frame.totals.disconnects, at);
  add('livestream_reconnects_total', frame.totals.reconnects, at);
  const run = frame.latencyRunMs;
  LIVE_QUANTILES.forEach((q) => add('livestream_latency_run_seconds', (q === 1 ? run.max : q === 0.5 ? run.p50 : q === 0.9 ? run.p90 : run.p99) / 1000, at, { quantile: String(q) }));
  add('livestream_latency_count', run.count, at);
  if (frame.target) {
    add('livestream_target_cpu_share', frame.target.cpuShare, at);
    add('livestream_target_rss_bytes', frame.target.rssBytes, at);
  }
  for (const c of frame.criteria) if (c.status !== 'pending') add('livestream_criterion_failing', c.status === 'fail' ? 1 : 0, at, { criterion: c.id });
  return out;
}

/**
 * `--export prometheus-rw=<url>`: each second's series pushed by remote
 * write. One push at a time: while one is in flight the next second's
 * series wait and go with the following push; a failed push is counted and
 * dropped (a retry could only be refused as out of order).
 */
export class PrometheusExport implements LiveSink {
  private readonly push: PushStats;
  private readonly poster: Poster;
  private waiting: RwSeries[] = [];
  /**
   * What waits may hold a label set twice: more than one frame, or a frame
   * of more than one second. One frame of one second (the usual push)
   * holds each once (frameSeries) and is sent as it is.
   */
  private repeats = false;
  private inFlight?: Promise<void>;

  constructor(url: string, problem: (line: string) => void) {
    this.push = new PushStats('prometheus-rw', url, problem);
    this.poster = new Poster(url);
  }

  second(frame: LiveFrame, labels: LiveLabels): void {
    this.repeats ||= this.waiting.length > 0 || frame.points.length > 1;
    this.waiting.push(...frameSeries(frame, labels));
    if (this.waiting.length > MAX_WAITING) this.waiting.splice(0, this.waiting.length - MAX_WAITING);
    if (!this.inFlight) this.inFlight = this.send().finally(() => (this.inFlight = undefined));
  }

  private async send(): Promise<void> {
    const series = this.waiting.splice(0);
    const repeats = this.repeats;
    this.repeats = false;
    if (series.length === 0) return;
    try {
      const res = await this.poster.post(REMOTE_WRITE_HEADERS, encodeWrite(repeats ? merge(series) : series), PUSH_TIMEOUT_MS);
      if (res.status >= 200 && res.status < 300) this.push.ok();
      else this.push.fail(new Error(`HTTP ${res.status}${res.text ? `: ${res.text.trim().slice(0, 160)}` : ''}`));
    } catch (err) {
      this.push.fail(err);
    }
  }

  async finish(frame: LiveFrame, labels: LiveLabels): Promise<void> {
    await this.inFlight;
    this.repeats ||= this.waiting.length > 0 || frame.points.length > 1;
    this.waiting.push(...frameSeries(frame, labels));
    await this.send();
  }

  async close(): Promise<void> {
    await this.inFlight;
    this.poster.close();
  }

  stats() {
    return this.push.stats();
  }
}

/** Samples of one series (same labels) in one entry: remote write wants each series once per request. */
function merge(series: readonly RwSeries[]): RwSeries[] {
  const byKey = new Map<string, RwSeries>();
  for (const s of series) {
    const key = labelKey(s.labels);
    const prev = byKey.get(key);
    if (prev) prev.samples.push(...s.samples);
    else byKey.set(key, { labels: s.labels, samples: [...s.samples] });
  }
  return [...byKey.values()];
}
