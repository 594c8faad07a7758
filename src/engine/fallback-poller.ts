import { EventEmitter } from 'node:events';
import { encodeHistogram, newHistogram, record, summarize, type Histogram } from '../metrics/histogram.js';
import type { FallbackFailure, FallbackPoint, FallbackStats } from '../metrics/fallback-polls.js';
import { wallNow } from './time.js';

/**
 * Polls the REST fallback the way the portal's chart does when the socket is
 * down: one GET a second. A poll is ok when it is HTTP 200, a JSON object,
 * and fresh. Polls never overlap: one slower than the interval delays the
 * next slot instead of stacking requests (each poll is then one failure or
 * one slow success, not several).
 *
 * Fresh, decided per poll:
 * - With a data time, the top-level `timestamp` (the field name is the
 *   profile's envelope timestamp field), else the newest `timestamp` among
 *   the top-level objects (e.g. per-channel payloads): its age, now minus
 *   (time - clock offset), must be at most `maxAgeMs` (5 s by default: five
 *   missed portal refreshes), and it must never go back from the previous
 *   poll. A server that caches its answer keeps the same time, grows older
 *   each poll, and turns stale after 5 s.
 * - Without any time, the body must change within `maxAgeMs`: a body that
 *   stays byte-identical for longer is stale (live TPS figures change every
 *   second).
 */

export type { FallbackFailure, FallbackPoint, FallbackStats } from '../metrics/fallback-polls.js';

export interface FallbackOptions {
  /** A poll slower than this fails as `timeout`. Default 4000 ms: twice the 2000 ms p99 bound. */
  timeoutMs?: number;
  /** Oldest data accepted as fresh. Default 5000 ms. */
  maxAgeMs?: number;
  /** Target clock minus ours, ms (from the clock probe); 0 when unknown. */
  clockOffsetMs?: number;
  /** Name of the data time field. Default `timestamp`. */
  timestampField?: string;
  /** The data time in epoch ms, from the profile's unit (default: it is ms). */
  toMs?: (value: number) => number;
  headers?: Record<string, string>;
}

export const DEFAULT_FALLBACK_TIMEOUT_MS = 4000;
export const DEFAULT_FALLBACK_MAX_AGE_MS = 5000;

/** The data time of a snapshot body: top-level field, else the newest among its objects. Pure. */
export function dataTime(body: Record<string, unknown>, field = 'timestamp'): number | undefined {
  const top = body[field];
  if (typeof top === 'number' && Number.isFinite(top)) return top;
  let newest: number | undefined;
  for (const v of Object.values(body)) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) continue;
    const t = (v as Record<string, unknown>)[field];
    if (typeof t === 'number' && Number.isFinite(t) && (newest === undefined || t > newest)) newest = t;
  }
  return newest;
}

export interface FallbackPollerEvents {
  /** Each completed poll (live progress, tests waiting for N polls). */
  poll: [FallbackPoint];
}

export class FallbackPoller extends EventEmitter<FallbackPollerEvents> {
  private readonly histogram: Histogram = newHistogram();
  private readonly points: FallbackPoint[] = [];
  private readonly failures: Partial<Record<FallbackFailure, number>> = {};
  private readonly timeoutMs: number;
  private readonly maxAgeMs: number;
  private readonly field: string;
  private polls = 0;
  private okCount = 0;
  private lastError: string | undefined;
  private lastTime: number | undefined;
  private lastBody: string | undefined;
  private lastChangeAt = 0;
  private running = false;
  private startedAt = 0;
  private slot = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: AbortController | undefined;

  constructor(
    readonly url: string,
    readonly intervalMs = 1000,
    private readonly options: FallbackOptions = {},
  ) {
    super();
    this.timeoutMs = options.timeoutMs ?? DEFAULT_FALLBACK_TIMEOUT_MS;
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_FALLBACK_MAX_AGE_MS;
    this.field = options.timestampField ?? 'timestamp';
  }

  /** Polls at once, then every interval until `stop()`. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.startedAt = wallNow();
    void this.poll();
  }

  /** Stops polling; a poll in flight is aborted and not counted. */
  stop(): FallbackStats {
    this.running = false;
    clearTimeout(this.timer);
    this.inFlight?.abort();
    const s = summarize(this.histogram, 1000);
    return {
      url: this.url,
      intervalMs: this.intervalMs,
      polls: this.polls,
      ok: this.okCount,
      failures: { ...this.failures },
      latency: encodeHistogram(this.histogram),
      p50Ms: s.p50,
      p99Ms: s.p99,
      maxMs: s.max,
      points: [...this.points],
      lastError: this.lastError,
    };
  }

  private async poll(): Promise<void> {
    const t = wallNow();
    const controller = new AbortController();
    this.inFlight = controller;
    const timeout = setTimeout(() => controller.abort(new Error('timeout')), this.timeoutMs);
    let reason: FallbackFailure | undefined;
    try {
      const res = await fetch(this.url, { headers: { accept: 'application/json', ...this.options.headers }, signal: controller.signal });
      const text = await res.text();
      reason = res.status === 200 ? this.judgeBody(text) : `http_${res.status}`;
    } catch (err) {
      if (!this.running) return; // aborted by stop()
      if (controller.signal.aborted) reason = 'timeout';
      else {
        reason = 'network';
        const e = err as Error & { cause?: { code?: string; message?: string } };
        this.lastError = e.cause?.code ?? e.cause?.message ?? e.message;
      }
    } finally {
      clearTimeout(timeout);
    }
    if (!this.running) return;
    const ms = wallNow() - t;
    this.polls++;
    record(this.histogram, ms * 1000);
    if (reason) this.failures[reason] = (this.failures[reason] ?? 0) + 1;
    else this.okCount++;
    const point: FallbackPoint = reason ? { t, ok: false, ms, reason } : { t, ok: true, ms };
    this.points.push(point);
    this.schedule();
    this.emit('poll', point);
  }

  private schedule(): void {
    const now = wallNow();
    this.slot = Math.max(this.slot + 1, Math.floor((now - this.startedAt) / this.intervalMs) + 1);
    this.timer = setTimeout(() => void this.poll(), this.startedAt + this.slot * this.intervalMs - now);
    this.timer.unref();
  }

  /** undefined when the body is a fresh JSON object, else why not. */
  private judgeBody(text: string): FallbackFailure | undefined {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return 'not_json';
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'not_object';
    const now = wallNow();
    const raw = dataTime(body as Record<string, unknown>, this.field);
    const time = raw === undefined || !this.options.toMs ? raw : this.options.toMs(raw);
    if (time !== undefined) {
      const previous = this.lastTime;
      this.lastTime = time;
      if (previous !== undefined && time < previous) return 'timestamp_went_back';
      const age = now - (time - (this.options.clockOffsetMs ?? 0));
      return age > this.maxAgeMs ? 'stale' : undefined;
    }
    if (text !== this.lastBody) {
      this.lastBody = text;
      this.lastChangeAt = now;
      return undefined;
    }
    return now - this.lastChangeAt > this.maxAgeMs ? 'stale' : undefined;
  }
}
