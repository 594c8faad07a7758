import type { BrowserRun, PageRun } from '../../metrics/browser-results.js';
import { MESSAGE_KINDS } from './message-types.js';

/**
 * The browser criteria judged per browser, pure: page_load, ui_updates and
 * page_fallback each judge every browser with these, cross_browser asks
 * that each browser passes the first two, and the reports' browser table
 * shows the same verdicts.
 */
export const PAGE_STREAMING_MS = 10_000;
export const UI_GAP_FACTOR = 2;
export const POLL_GAP_MS = 2_000;

export interface BrowserVerdict {
  status: 'pass' | 'fail' | 'skipped';
  observed: string;
  detail: string;
}

const mainPages = (b: BrowserRun) => b.pages.filter((p) => p.role === 'main');
const name = (b: BrowserRun) => b.kind;

export function browserLabel(b: BrowserRun): string {
  return b.version ? `${b.kind} (${b.version})` : b.kind;
}

function pageLoadProblems(p: PageRun): string[] {
  const out: string[] = [];
  if (!p.loaded) out.push(`did not load: ${p.loadError ?? 'no load event'}`);
  if (p.pageErrorCount > 0) out.push(`${p.pageErrorCount} uncaught error(s), first: ${p.pageErrors[0] ?? '?'}`);
  if (p.streamingMs === undefined) {
    const other = p.sockets.filter((s) => !s.isTarget).map((s) => s.url);
    out.push(other.length ? `never streamed from the target; opened ${other.slice(0, 2).join(', ')} instead` : p.socketCount === 0 ? 'opened no WebSocket' : 'its socket to the target delivered nothing');
  } else if (p.streamingMs > PAGE_STREAMING_MS) out.push(`streaming only after ${(p.streamingMs / 1000).toFixed(1)} s`);
  return out;
}

/** page_load in one browser: every main page loads, throws nothing, streams from the target within 10 s, with valid frames. */
export function judgePageLoad(b: BrowserRun): BrowserVerdict {
  if (b.error) return { status: 'fail', observed: 'browser failed', detail: `${name(b)}: ${b.error}` };
  const pages = mainPages(b);
  if (pages.length === 0) return { status: 'fail', observed: 'no page opened', detail: name(b) };
  const problems = pages.flatMap((p, i) => pageLoadProblems(p).map((x) => (pages.length > 1 ? `page ${i + 1} ${x}` : x)));
  const bad = Object.entries(b.checks?.violations ?? {}).filter(([k, v]) => v > 0 && (MESSAGE_KINDS as readonly string[]).includes(k));
  if (bad.length) problems.push(`frames failed the checks: ${bad.map(([k, v]) => `${k} ${v}`).join(', ')}${b.checks?.examples[0] ? ` (${b.checks.examples[0]})` : ''}`);
  const load = Math.max(...pages.map((p) => p.loadMs ?? 0));
  const streams = pages.map((p) => p.streamingMs).filter((v): v is number => v !== undefined);
  const errors = pages.reduce((n, p) => n + p.pageErrorCount, 0);
  const observed = `loaded ${load} ms, streaming ${streams.length ? `${Math.max(...streams)} ms` : 'never'}, ${errors} page error(s)`;
  const consoleErrors = pages.reduce((n, p) => n + p.consoleErrorCount, 0);
  const detail = [problems.join('; '), consoleErrors ? `${consoleErrors} console error(s), first: ${pages.find((p) => p.consoleErrors[0])?.consoleErrors[0]}` : ''].filter(Boolean).join('; ');
  return { status: problems.length ? 'fail' : 'pass', observed, detail };
}

/** ui_updates in one browser: the watched element changes at least once per 2 x the fastest interval, over the whole steady phase. */
export function judgeUiUpdates(b: BrowserRun): BrowserVerdict {
  if (b.error) return { status: 'fail', observed: 'browser failed', detail: `${name(b)}: ${b.error}` };
  const pages = mainPages(b).filter((p) => p.watch);
  if (pages.length === 0) return { status: 'skipped', observed: '-', detail: 'no --watch element given' };
  const limit = UI_GAP_FACTOR * b.fastestIntervalMs;
  const missing = pages.filter((p) => !p.watch!.found);
  if (missing.length) return { status: 'fail', observed: 'element not found', detail: `${pages[0].watch!.selector} never appeared in the page` };
  const worst = pages.reduce((w, p) => (p.watch!.maxGapMs > w.watch!.maxGapMs ? p : w));
  const w = worst.watch!;
  const cut = worst.cut ? `; a cut at ${new Date(worst.cut.at).toISOString().slice(11, 23)} ${worst.cut.reconnectedAt ? `reconnected in ${worst.cut.reconnectedAt - worst.cut.at} ms (left out)` : 'never reconnected'}` : '';
  return {
    status: w.maxGapMs <= limit && w.changes > 0 ? 'pass' : 'fail',
    observed: `longest ${w.maxGapMs} ms without a change, ${w.changes} change(s)`,
    detail: `${w.selector}, last text ${JSON.stringify(w.lastText ?? '')}${cut}`,
  };
}

/** page_fallback in one browser: with its socket refused, the page polls at least every 2 s once the socket has failed. */
export function judgePageFallback(b: BrowserRun): BrowserVerdict {
  if (b.error) return { status: 'fail', observed: 'browser failed', detail: `${name(b)}: ${b.error}` };
  const page = b.pages.find((p) => p.role === 'refused');
  if (!page) return { status: 'skipped', observed: '-', detail: 'no refused-socket page was opened' };
  const polls = page.polls;
  if (!page.loaded) return { status: 'fail', observed: 'did not load', detail: page.loadError ?? '' };
  if (!polls || polls.failedAt === undefined) return { status: 'fail', observed: 'no socket tried', detail: 'the page opened no WebSocket to refuse' };
  const observed = `${polls.polls} poll(s) in ${(polls.observedMs / 1000).toFixed(1)} s, longest gap ${polls.maxGapMs} ms`;
  const pass = polls.polls > 0 && polls.maxGapMs <= POLL_GAP_MS;
  return { status: pass ? 'pass' : 'fail', observed, detail: polls.polls ? `polled ${polls.url}` : 'the page never polled after its socket failed' };
}

/** Every browser's verdicts, for cross_browser and the reports' table. */
export function browserVerdicts(b: BrowserRun) {
  return { pageLoad: judgePageLoad(b), uiUpdates: judgeUiUpdates(b), pageFallback: judgePageFallback(b) };
}
