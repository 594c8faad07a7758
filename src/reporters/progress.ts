import type { RunProgress } from '../engine/run.js';
import { fmtMs } from './format.js';

/** What the live view adds to a progress line: the plan's length and the criteria failing so far. */
export interface ProgressExtras {
  totalMs: number;
  failing: readonly string[];
  /** A bar of elapsed over total (a terminal); CI's scrolling lines go without. */
  bar?: boolean;
}

const BAR = 12;

/** `████░░░░ 40%` of elapsed over total. */
export function progressBar(elapsedMs: number, totalMs: number, width = BAR): string {
  const share = totalMs > 0 ? Math.min(1, Math.max(0, elapsedMs / totalMs)) : 0;
  const full = Math.round(share * width);
  return `${'█'.repeat(full)}${'░'.repeat(width - full)} ${String(Math.round(share * 100)).padStart(3)}%`;
}

/**
 * One progress line; the CLI decides whether it overwrites itself (terminal)
 * or scrolls (CI). A line that overwrites itself must fit the terminal (a
 * wrapped one leaves its first half behind at every tick), so with `width`
 * it drops the double spaces and then shortens its words until it fits:
 *   [  12s] steady  clients 100/100  1234 msg/s  p99 3.2 ms  violations 0  disconnects 0
 *   [  12s] steady clients 100/100 1234 msg/s p99 3.2 ms viol 0 disc 0
 * With the live view's extras the line shows how far the run is (a bar in
 * a terminal, the share in CI) and the criteria failing so far, the words a
 * person looks for first at a glance; narrow, those come first:
 *   [  12s] steady  ████░░░░░░░░  34% of 35s  clients 100/100 ... disconnects 0  failing latency, data_consistency
 *   [  12s] steady  34% of 35s  clients 100/100 ...                  (CI: no bar)
 * The p99 reads "-" when the last second brought no message (the first tick).
 */
export function progressLine(p: RunProgress, width?: number, extras?: ProgressExtras): string {
  const secs = (p.elapsedMs / 1000).toFixed(0).padStart(4);
  // after the phase, so the line still starts "[  12s] steady" as scripts have read it
  const share = extras && extras.totalMs > 0 ? Math.min(100, Math.round((p.elapsedMs / extras.totalMs) * 100)) : 0;
  const total = extras ? (extras.bar ? ` ${progressBar(p.elapsedMs, extras.totalMs)} of ${(extras.totalMs / 1000).toFixed(0)}s` : ` ${share}% of ${(extras.totalMs / 1000).toFixed(0)}s`) : '';
  // failed opens apart from the stream's violations, with their cause: "violations 19" said nothing of why
  const failed = p.connectFailures ? `  failed opens ${p.connectFailures} (${p.connectFailure ?? 'see the report'})` : '';
  const failing = extras?.failing.length ? `  failing ${extras.failing.join(', ')}` : '';
  const p99 = p.latencyP99Ms === null ? '-' : fmtMs(p.latencyP99Ms);
  const wide = `[${secs}s] ${p.phase.padEnd(7)}${total}  clients ${p.open}/${p.planned}  ${p.messagesPerSec} msg/s  p99 ${p99}  violations ${p.violations}  disconnects ${p.disconnects}${failed}${failing}`;
  // one column short of the width: a line that ends in the last column makes some terminals wrap
  const room = width === undefined ? Infinity : Math.max(1, Math.floor(width) - 1);
  if (wide.length <= room) return wide;
  const narrowFailing = extras?.failing.length ? ` FAIL ${extras.failing.join(',')}` : '';
  // narrow, the failing criteria come first: what is cut at the end is what matters least
  const narrow = `[${secs.trim()}s]${narrowFailing} ${p.phase}${total} clients ${p.open}/${p.planned} ${p.messagesPerSec} msg/s p99 ${p99} viol ${p.violations} disc ${p.disconnects}${failed ? ` failed ${p.connectFailures} (${p.connectFailure ?? '?'})` : ''}`;
  if (narrow.length <= room) return narrow;
  // the bar goes before the words: the failing criteria matter more than the picture
  const bare = extras?.bar ? progressLine(p, width, { ...extras, bar: false }) : narrow;
  return bare.length <= room ? bare : bare.slice(0, room);
}
