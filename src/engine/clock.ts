import type { ClockEstimate } from '../metrics/clock-estimate.js';

export type { ClockEstimate } from '../metrics/clock-estimate.js';

/**
 * Clock offset between the harness and the target, estimated NTP-style from
 * ping/pong exchanges: the server stamps its pong at some moment between our
 * send and our receive, so
 *   offset = serverTs - (sent + received) / 2, error bound = rtt / 2.
 * The sample with the lowest round trip bounds the error tightest.
 *   sent 1000, received 1010, server 5005 -> offset +4000 ms, +-5 ms
 * The server stamps whole milliseconds, which adds half a millisecond.
 */
export interface ClockSample {
  sentMs: number;
  receivedMs: number;
  serverMs: number;
}

export function estimateOffset(samples: readonly ClockSample[]): ClockEstimate | undefined {
  let best: ClockSample | undefined;
  for (const s of samples) {
    if (s.receivedMs < s.sentMs) continue;
    if (!best || s.receivedMs - s.sentMs < best.receivedMs - best.sentMs) best = s;
  }
  if (!best) return undefined;
  const rttMs = best.receivedMs - best.sentMs;
  return {
    offsetMs: best.serverMs - (best.sentMs + best.receivedMs) / 2,
    errorMs: rttMs / 2 + 0.5,
    rttMs,
    samples: samples.length,
  };
}
