import type { RunProgress } from '../engine/run.js';
import { fmtMs } from './format.js';

/**
 * One progress line; the CLI decides whether it overwrites itself (terminal)
 * or scrolls (CI). A line that overwrites itself must fit the terminal (a
 * wrapped one leaves its first half behind at every tick), so with `width`
 * it drops the double spaces and then shortens its words until it fits:
 *   [  12s] steady  clients 100/100  1234 msg/s  p99 3.2 ms  violations 0  disconnects 0
 *   [  12s] steady clients 100/100 1234 msg/s p99 3.2 ms viol 0 disc 0
 * The p99 reads "-" when the last second brought no message (the first tick).
 */
export function progressLine(p: RunProgress, width?: number): string {
  const secs = (p.elapsedMs / 1000).toFixed(0).padStart(4);
  // failed opens apart from the stream's violations, with their cause: "violations 19" said nothing of why
  const failed = p.connectFailures ? `  failed opens ${p.connectFailures} (${p.connectFailure ?? 'see the report'})` : '';
  const p99 = p.latencyP99Ms === null ? '-' : fmtMs(p.latencyP99Ms);
  const wide = `[${secs}s] ${p.phase.padEnd(7)} clients ${p.open}/${p.planned}  ${p.messagesPerSec} msg/s  p99 ${p99}  violations ${p.violations}  disconnects ${p.disconnects}${failed}`;
  // one column short of the width: a line that ends in the last column makes some terminals wrap
  const room = width === undefined ? Infinity : Math.max(1, Math.floor(width) - 1);
  if (wide.length <= room) return wide;
  const narrow = `[${secs.trim()}s] ${p.phase} clients ${p.open}/${p.planned} ${p.messagesPerSec} msg/s p99 ${p99} viol ${p.violations} disc ${p.disconnects}${failed ? ` failed ${p.connectFailures} (${p.connectFailure ?? '?'})` : ''}`;
  return narrow.length <= room ? narrow : narrow.slice(0, room);
}
