import { EventEmitter } from 'node:events';
import { MAX_KEPT_ERRORS, type ResourceError, type ResourcePoint, type ResourceSeries, type ResourceSourceKind } from '../metrics/resource-series.js';
import { wallNow } from './time.js';

/**
 * Samples the target's CPU and resident memory once a second (by default)
 * from one source: a local process (`pidSource`) or a Prometheus endpoint
 * (`prometheusSource`). Reads never overlap: a slow read skips ticks rather
 * than piling up. A failed read is counted and the next tick tries again, so
 * a target that restarts or a scrape that times out leaves a gap, not a stop.
 */

export type { ResourceError, ResourcePoint, ResourceSeries, ResourceSourceKind } from '../metrics/resource-series.js';

/** One read of a source. A source gives a CPU counter, a CPU share, or neither. */
export interface ResourceReading {
  /** Cumulative CPU seconds of the process (all threads); turned into a share by the sampler. */
  cpuSeconds?: number;
  /** CPU share of one core over the source's own recent window (a gauge). */
  cpuShare?: number;
  /** Memory in bytes: resident set size, or what the source has closest to it. */
  memoryBytes?: number;
  /** A JVM's long-lived heap in use (see ResourcePoint.heapBytes). */
  heapBytes?: number;
  /** A JVM's heap after its last major collection (see ResourcePoint.heapLiveBytes). */
  heapLiveBytes?: number;
  /** Threads, summed over the process tree (pid source only). */
  threads?: number;
}

export interface ResourceSource {
  readonly kind: ResourceSourceKind;
  /** What is sampled, for the report: `pid 1234`, a metrics URL. */
  readonly origin: string;
  /** How the figures were derived (metric names, conversions); filled as reads succeed. */
  readonly notes: readonly string[];
  /** Throws on a failed read (process gone, scrape failed). */
  read(): Promise<ResourceReading>;
}

export interface ResourceSamplerEvents {
  /** Each sample as it is taken (a live chart, a test waiting for N samples). */
  point: [ResourcePoint];
  /** Each failed read; not `error`, which would throw without a listener. */
  readFailed: [ResourceError];
}

export class ResourceSampler extends EventEmitter<ResourceSamplerEvents> {
  private readonly points: ResourcePoint[] = [];
  private readonly errors: ResourceError[] = [];
  private errorCount = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private startedAt = 0;
  private tick = 0;
  private last: { t: number; cpuSeconds: number } | undefined;

  constructor(
    private readonly source: ResourceSource,
    private readonly intervalMs = 1000,
  ) {
    super();
  }

  /** Takes a first sample at once, then one each interval until `stop()`. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.startedAt = wallNow();
    void this.sample();
  }

  /** Stops sampling; a read still in flight is dropped. */
  stop(): ResourceSeries {
    this.running = false;
    clearTimeout(this.timer);
    return this.current();
  }

  /** The series so far, sampling going on. */
  current(): ResourceSeries {
    return {
      source: this.source.kind,
      origin: this.source.origin,
      intervalMs: this.intervalMs,
      points: [...this.points],
      errors: [...this.errors],
      errorCount: this.errorCount,
      notes: [...this.source.notes],
    };
  }

  private async sample(): Promise<void> {
    try {
      const reading = await this.source.read();
      if (this.running) this.record(wallNow(), reading);
    } catch (err) {
      if (this.running) this.fail(wallNow(), err);
    }
    if (!this.running) return;
    // Next slot on the start-aligned grid that is still ahead: a read that
    // overran its interval skips slots instead of bunching reads together.
    const now = wallNow();
    this.tick = Math.max(this.tick + 1, Math.floor((now - this.startedAt) / this.intervalMs) + 1);
    this.timer = setTimeout(() => void this.sample(), this.startedAt + this.tick * this.intervalMs - now);
    this.timer.unref();
  }

  private record(t: number, r: ResourceReading): void {
    let cpuShare: number | null = r.cpuShare ?? null;
    if (r.cpuSeconds !== undefined) {
      const prev = this.last;
      this.last = { t, cpuSeconds: r.cpuSeconds };
      // A counter that went back means the process restarted: no share for that interval.
      if (prev && r.cpuSeconds >= prev.cpuSeconds && t > prev.t) cpuShare = ((r.cpuSeconds - prev.cpuSeconds) * 1000) / (t - prev.t);
      else cpuShare = null;
    }
    const point: ResourcePoint = { t, cpuShare, rssBytes: r.memoryBytes ?? null, ...(r.threads !== undefined ? { threads: r.threads } : {}) };
    if (r.heapBytes !== undefined) point.heapBytes = r.heapBytes;
    if (r.heapLiveBytes !== undefined) point.heapLiveBytes = r.heapLiveBytes;
    this.points.push(point);
    this.emit('point', point);
  }

  private fail(t: number, err: unknown): void {
    this.errorCount++;
    // `last` stays: the next good read's share then spans the gap, which is still exact.
    const error = { t, message: err instanceof Error ? err.message : String(err) };
    if (this.errors.length < MAX_KEPT_ERRORS) this.errors.push(error);
    this.emit('readFailed', error);
  }
}
