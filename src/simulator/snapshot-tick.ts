import { alignedSchedule, indexAt, tickTime } from './tick-clock.js';

/**
 * Which tick a snapshot on subscribe shows (`--fault snapshot`), and its
 * stamp: the tick due now, so its values are the ones every client gets
 * for that tick. Stamped with the tick's own instant while that tick may
 * still be on its way to the client (its timer late, its batch not yet
 * flushed): the client then sees one tick twice, with one stamp, which is
 * the snapshot showing it early; stamped now once it has long gone out,
 * as a server builds a message at once.
 *   interval 2000, subscribe at 10_030 -> tick 5, stamped 10_000
 *   interval 2000, subscribe at 11_500 -> tick 5, stamped 11_500
 */
export const FRESH_MS = 100;

export function snapshotTick(intervalMs: number, nowMs: number): { index: number; at: number } {
  const schedule = alignedSchedule(intervalMs);
  const index = indexAt(schedule, nowMs);
  const due = tickTime(schedule, index);
  return { index, at: nowMs - due < FRESH_MS ? due : nowMs };
}
