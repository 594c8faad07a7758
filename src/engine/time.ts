import { performance } from 'node:perf_hooks';

/**
 * Epoch milliseconds with sub-millisecond resolution from the monotonic
 * clock, so gaps never jump with an NTP step during a run.
 */
const origin = performance.timeOrigin;
export function wallNow(): number {
  return origin + performance.now();
}
