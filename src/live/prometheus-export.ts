import { LIVE_QUANTILES, type LiveLabels, type LiveMetricName } from '../metrics/live-names.js';
import { quantileSeconds, type LiveFrame } from './frame.js';
import type { LiveSink } from './live-view.js';
import { Poster } from './http-post.js';
import { PushStats } from './push-stats.js';
import { encodeLabels, REMOTE_WRITE_HEADERS, WriteBatch } from './remote-write.js';

/** A push gets this long; the next second's push then carries on. */
const PUSH_TIMEOUT_MS = 2000;
/** Samples kept while a push is in flight; past this the oldest are dropped (a backend that cannot keep up must not grow the heap). */
const MAX_WAITING = 20_000;

/** A sample of one series: its metric, its one label beyond the run's (channel, quantile, criterion), when it has one. */
export type SampleSink = (name: LiveMetricName, value: number, timestamp: number, extraName?: string, extraValue?: string) => void;

const QUANTILE_LABELS = LIVE_QUANTILES.map(String);

/**
 * The frame's figures as remote-write samples, given to `emit` one by one:
 * the per-second ones stamped with their second (so a backend's series
 * equals the report's), the totals with the frame's time. A figure that is
 * not a finite number is left out.
 */
export function frameSamples(frame: LiveFrame, emit: SampleSink): void {
  const add = (name: LiveMetricName, value: number | null, timestamp: number, extraName?: string, extraValue?: string) => {
    if (value !== null && Number.isFinite(value)) emit(name, value, timestamp, extraName, extraValue);
  };
  for (const p of frame.points) {
    const at = p.t * 1000;
    add('livestream_clients_open', p.open, at);
    for (const channel in p.messages) add('livestream_messages_per_second', p.messages[channel], at, 'channel', channel);
    LIVE_QUANTILES.forEach((q, i) => add('livestream_latency_seconds', quantileSeconds(p.latencyMs, q), at, 'quantile', QUANTILE_LABELS[i]));
  }
  const at = frame.at;
  add('livestream_clients_planned', frame.planned, at);
  for (const channel in frame.totals.messages) add('livestream_messages_total', frame.totals.messages[channel], at, 'channel', channel);
  add('livestream_bytes_total', frame.totals.bytes, at);
  add('livestream_violations_total', frame.totals.violations, at);
  add('livestream_disconnects_total', frame.totals.disconnects, at);
  add('livestream_reconnects_total', frame.totals.reconnects, at);
  LIVE_QUANTILES.forEach((q, i) => add('livestream_latency_run_seconds', quantileSeconds(frame.latencyRunMs, q), at, 'quantile', QUANTILE_LABELS[i]));
  add('livestream_latency_count', frame.latencyRunMs.count, at);
  if (frame.target) {
    add('livestream_target_cpu_share', frame.target.cpuShare, at);
    add('livestream_target_rss_bytes', frame.target.rssBytes, at);
  }
  for (const c of frame.criteria) if (c.status !== 'pending') add('livestream_criterion_failing', c.status === 'fail' ? 1 : 0, at, 'criterion', c.id);
}

/** Label sets kept at most: a run's series are a few dozen. */
const LABELS_KEPT = 4096;

/**
 * Each series' label bytes (encodeLabels), made once a run and found by
 * the metric's name, its extra label's name and value, with no key string
 * made per sample.
 */
export class LabelSets {
  private readonly byName = new Map<string, Map<string, Map<string, Uint8Array>>>();
  private base?: LiveLabels;
  private kept = 0;

  of(base: LiveLabels, name: LiveMetricName, extraName = '', extraValue = ''): Uint8Array {
    if (base !== this.base || this.kept >= LABELS_KEPT) {
      this.byName.clear();
      this.base = base;
      this.kept = 0;
    }
    let byExtra = this.byName.get(name);
    if (!byExtra) this.byName.set(name, (byExtra = new Map()));
    let byValue = byExtra.get(extraName);
    if (!byValue) byExtra.set(extraName, (byValue = new Map()));
    let bytes = byValue.get(extraValue);
    if (!bytes) {
      bytes = encodeLabels({ __name__: name, ...base, ...(extraName ? { [extraName]: extraValue } : {}) });
      byValue.set(extraValue, bytes);
      this.kept += 1;
    }
    return bytes;
  }
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
  private readonly sets = new LabelSets();
  /** What the next push sends: the seconds that came while the last was in flight, too. */
  private readonly waiting = new WriteBatch();
  private inFlight?: Promise<void>;

  constructor(url: string, problem: (line: string) => void) {
    this.push = new PushStats('prometheus-rw', url, problem);
    this.poster = new Poster(url);
  }

  private gather(frame: LiveFrame, labels: LiveLabels): void {
    frameSamples(frame, (name, value, timestamp, extraName, extraValue) => this.waiting.add(this.sets.of(labels, name, extraName, extraValue), value, timestamp));
    this.waiting.cap(MAX_WAITING);
  }

  second(frame: LiveFrame, labels: LiveLabels): void {
    this.gather(frame, labels);
    if (!this.inFlight) this.inFlight = this.send().finally(() => (this.inFlight = undefined));
  }

  private async send(): Promise<void> {
    if (this.waiting.size === 0) return;
    try {
      const res = await this.poster.post(REMOTE_WRITE_HEADERS, this.waiting.take(), PUSH_TIMEOUT_MS);
      if (res.status >= 200 && res.status < 300) this.push.ok();
      else this.push.fail(new Error(`HTTP ${res.status}${res.text ? `: ${res.text.trim().slice(0, 160)}` : ''}`));
    } catch (err) {
      this.push.fail(err);
    }
  }

  async finish(frame: LiveFrame, labels: LiveLabels): Promise<void> {
    await this.inFlight;
    this.gather(frame, labels);
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
