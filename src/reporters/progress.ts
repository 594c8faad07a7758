import type { RunProgress } from '../engine/run.js';
import { fmtMs } from './format.js';

/** One progress line; the CLI decides whether it overwrites itself (terminal) or scrolls (CI). */
export function progressLine(p: RunProgress): string {
  const secs = (p.elapsedMs / 1000).toFixed(0).padStart(4);
  // failed opens apart from the stream's violations, with their cause: "violations 19" said nothing of why
  const failed = p.connectFailures ? `  failed opens ${p.connectFailures} (${p.connectFailure ?? 'see the report'})` : '';
  return `[${secs}s] ${p.phase.padEnd(7)} clients ${p.open}/${p.planned}  ${p.messagesPerSec} msg/s  p99 ${fmtMs(p.latencyP99Ms)}  violations ${p.violations}  disconnects ${p.disconnects}${failed}`;
}
