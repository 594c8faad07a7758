/**
 * A clock offset estimate between the harness and the target
 * (engine/clock.ts makes it from ping/pong): plain data, so it travels in a
 * metrics snapshot. Of several estimates the one with the tightest error
 * bound is the best, as the lowest round trip is among one estimate's samples.
 */
export interface ClockEstimate {
  /** Server clock minus harness clock, in ms. */
  offsetMs: number;
  /** The true offset lies within offsetMs +- errorMs. */
  errorMs: number;
  rttMs: number;
  samples: number;
}

/**
 * The estimate with the tighter bound; ties go to more samples, then the
 * smaller offset, so the choice is associative and commutative.
 *   +4.0 ms ± 5 ms and +3.2 ms ± 0.8 ms -> +3.2 ms ± 0.8 ms
 */
export function bestClock(a: ClockEstimate | undefined, b: ClockEstimate | undefined): ClockEstimate | undefined {
  if (!a || !b) return a ?? b;
  if (a.errorMs !== b.errorMs) return a.errorMs < b.errorMs ? a : b;
  if (a.samples !== b.samples) return a.samples > b.samples ? a : b;
  return a.offsetMs <= b.offsetMs ? a : b;
}
