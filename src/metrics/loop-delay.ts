import { newHistogram, record, type Histogram } from './histogram.js';

/**
 * The harness's event-loop delay as a time-weighted histogram: one sample
 * per `resolutionMs` slot of the load, as Node's monitorEventLoopDelay
 * keeps it (each sample the interval between two wake-ups of a timer due
 * every slot, so an idle slot reads the resolution and a loop held 60 ms
 * reads 60).
 *
 * engine/health.ts runs the timer only while the harness has work (a
 * message, an open, the driver's own ticks) and tells this book the idle
 * spans between, which it fills with samples of exactly the resolution:
 * the native monitor woke an idle loop a hundred times a second, and on a
 * stream that pushes at second boundaries the loop is idle most of each
 * second (bench/README.md, "Harness cost"). The p99 and the 100 ms bound
 * (metrics/harness-health.ts) keep their meaning: the idle slots are still
 * counted, as the quick ones they are.
 *   probes 0..10 and 10..72, idle 72..1000, a message at 1000
 *   -> samples 10, 62 and 92 x 10 (the last 8 ms are less than a slot)
 */
export class LoopDelayBook {
  private readonly h: Histogram = newHistogram();
  /** Where the current idle span's unfilled part starts; undefined while a probe is out. */
  private idleFrom: number | undefined;

  constructor(
    readonly resolutionMs: number,
    startMs: number,
  ) {
    this.idleFrom = startMs;
  }

  /** Work arrived at `nowMs` after an idle span: its whole slots read the resolution. */
  busy(nowMs: number): void {
    this.fillIdle(nowMs);
    this.idleFrom = undefined;
  }

  /** A timer set at `armedMs` for one slot fired at `firedMs`. */
  probed(armedMs: number, firedMs: number): void {
    record(this.h, Math.max(this.resolutionMs, firedMs - armedMs) * 1000);
  }

  /** The last probe found no work since it was set: idle from `nowMs`. */
  rest(nowMs: number): void {
    this.idleFrom = nowMs;
  }

  /** The delay percentile in ms, counting the idle slots up to `nowMs`. */
  percentileMs(p: number, nowMs: number): number {
    this.fillIdle(nowMs);
    return this.h.totalCount > 0 ? this.h.getValueAtPercentile(p) / 1000 : 0;
  }

  maxMs(): number {
    return this.h.totalCount > 0 ? this.h.maxValue / 1000 : 0;
  }

  private fillIdle(nowMs: number): void {
    if (this.idleFrom === undefined) return;
    const slots = Math.floor((nowMs - this.idleFrom) / this.resolutionMs);
    if (slots <= 0) return;
    this.h.recordValueWithCount(this.resolutionMs * 1000, slots);
    // the part of a slot left over is counted with the next idle span
    this.idleFrom += slots * this.resolutionMs;
  }
}
