/**
 * When a channel ticks, as pure arithmetic on the wall clock.
 *
 * A schedule maps a tick index to a wall-clock time:
 *   time(index) = anchorMs + (index - anchorIndex) * periodMs
 * The nominal schedule is anchored at the epoch (anchorMs = anchorIndex = 0),
 * so tick k of a 2000 ms channel is due at k * 2000 ms since 1970. Every
 * simulator process therefore ticks at the same instants and, as tick data is
 * a pure function of (seed, channel, index), sends the same values at the
 * same moment. Each timer is armed for `time(next) - Date.now()`, never for
 * "one period from now", so errors do not accumulate: over an hour the
 * schedule is still exact to the event loop's jitter.
 *
 * Worked example: a 2000 ms channel started at 1_730_000_000_500 ms has
 * indexAt = 865_000_000 (due at ...000_000), so its first tick is 865_000_001,
 * due at 1_730_000_002_000, 1.5 s after the start; the next at ...004_000.
 */

export interface TickSchedule {
  readonly anchorMs: number;
  readonly anchorIndex: number;
  readonly periodMs: number;
}

export function alignedSchedule(periodMs: number): TickSchedule {
  return { anchorMs: 0, anchorIndex: 0, periodMs };
}

export function tickTime(schedule: TickSchedule, index: number): number {
  return schedule.anchorMs + (index - schedule.anchorIndex) * schedule.periodMs;
}

/** The latest index due at or before `nowMs`. */
export function indexAt(schedule: TickSchedule, nowMs: number): number {
  return schedule.anchorIndex + Math.floor((nowMs - schedule.anchorMs) / schedule.periodMs);
}

/** The first index due strictly after `nowMs`: where a fresh ticker starts. */
export function firstIndexAfter(schedule: TickSchedule, nowMs: number): number {
  return indexAt(schedule, nowMs) + 1;
}

/**
 * The index to fire after `fired`, given that it is now `nowMs`. Normally
 * `fired + 1`; if the loop was blocked for more than a period, the missed
 * ticks are skipped and the latest due one is sent at once (no burst of stale
 * messages), e.g. fired 10 at 10_000 ms, now 13_500 ms, 1000 ms period -> 13.
 */
export function nextIndex(schedule: TickSchedule, fired: number, nowMs: number): number {
  return Math.max(fired + 1, indexAt(schedule, nowMs));
}

/**
 * A new period (cadence drift set or lifted) takes effect after the tick that
 * is already armed. Indexes keep rising, so a block height never goes back.
 * Back at the nominal period the schedule re-aligns to the epoch when that
 * only skips indexes forward (drift was slower); after a faster drift the
 * index is ahead of the clock, and the schedule stays anchored instead.
 *
 * Example: 1000 ms nominal, +10% drift anchored at index 100 / 100_000 ms;
 * index 110 is due at 111_000. Lifting the drift there re-aligns: index 111,
 * due at 111_000 ms, on the epoch grid again.
 */
export function reschedule(
  schedule: TickSchedule,
  pendingIndex: number,
  periodMs: number,
  nominalMs: number,
): { schedule: TickSchedule; index: number } {
  const due = tickTime(schedule, pendingIndex);
  if (periodMs === nominalMs) {
    const aligned = alignedSchedule(nominalMs);
    const alignedIndex = Math.ceil(due / nominalMs);
    if (alignedIndex >= pendingIndex) return { schedule: aligned, index: alignedIndex };
  }
  if (periodMs === schedule.periodMs) return { schedule, index: pendingIndex };
  return { schedule: { anchorMs: due, anchorIndex: pendingIndex, periodMs }, index: pendingIndex };
}
