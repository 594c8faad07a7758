/**
 * The timing rules of the browser criteria, as pure functions over epoch ms.
 */

export interface Window {
  from: number;
  to: number;
}

/** Length of [a, b] less its overlap with the windows (which may overlap each other: merged first). */
export function effectiveMs(a: number, b: number, excluded: readonly Window[] = []): number {
  if (b <= a) return 0;
  let out = b - a;
  for (const w of mergeWindows(excluded)) out -= Math.max(0, Math.min(b, w.to) - Math.max(a, w.from));
  return out;
}

export function mergeWindows(windows: readonly Window[]): Window[] {
  const sorted = windows.filter((w) => w.to > w.from).sort((x, y) => x.from - y.from);
  const out: Window[] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w.from <= last.to) last.to = Math.max(last.to, w.to);
    else out.push({ ...w });
  }
  return out;
}

/**
 * The longest stretch of [start, end] without an event, the excluded
 * windows left out: the open stretches before the first event and after the
 * last count, so a page that stops updating halfway shows it.
 *   events 1,2,3 s over [0, 10 s] -> 7 s, from 3 s
 *   events every 1 s, a 5 s hole excluded as a reconnect -> 1 s
 */
export function longestGap(times: readonly number[], start: number, end: number, excluded: readonly Window[] = []): { gapMs: number; at: number; count: number } {
  const inside = times.filter((t) => t >= start && t <= end).sort((a, b) => a - b);
  let prev = start;
  let best = { gapMs: 0, at: start };
  for (const t of [...inside, end]) {
    const g = effectiveMs(prev, t, excluded);
    if (g > best.gapMs) best = { gapMs: g, at: prev };
    prev = t;
  }
  return { ...best, count: inside.length };
}

/**
 * The window a cut of the page's socket is forgiven: from the cut to the
 * first frame after it, but no longer than the reconnect limit (a page that
 * never comes back has its silence counted from there).
 */
export function cutWindow(cutAt: number, reconnectedAt: number | undefined, limitMs: number): Window {
  return { from: cutAt, to: Math.min(reconnectedAt ?? Number.POSITIVE_INFINITY, cutAt + limitMs) };
}
