import { findBrowsers, type FoundBrowser } from '../browser/find-browser.js';
import { BrowserSession, launchBrowser, type ProcessSampler } from '../browser/session.js';
import type { BrowserDriver } from '../browser/driver.js';
import type { BrowserRun } from '../metrics/browser-results.js';
import type { TargetProfile } from '../profile/index.js';
import { loadPlan } from '../scenario/plan.js';
import type { RunSettings } from '../scenario/settings.js';
import { DASHBOARD_PATH, DASHBOARD_WATCH } from '../source/dashboard-contract.js';
import { pidSource } from './pid-source.js';
import { ResourceSampler } from './resource-sampler.js';

/** Default reconnect limit for a cut page socket: the reconnect criterion's p99 bound. */
export const PAGE_RECONNECT_LIMIT_MS = 15_000;
/** Longest frame text the agent hands over (the load clients' --max-frame bounds it too). */
const MAX_FRAME_CHARS = 256 * 1024;

export interface PageBrowser {
  found: FoundBrowser;
  /** Its launch, begun as soon as it was found: a browser takes seconds to start, the run need not wait for it. */
  driver: Promise<BrowserDriver>;
}

/**
 * The browsers `--page` needs, found before anything starts (a missing one
 * is a usage error, exit 2) and launched at once.
 */
export async function pageBrowsers(s: RunSettings): Promise<PageBrowser[] | undefined> {
  if (s.page === undefined) return undefined;
  const found = await findBrowsers(s.browsers?.length ? s.browsers : ['chromium']);
  return found.map((f) => {
    const driver = launchBrowser(f);
    // a failed launch is reported by the session, in the browser's row
    driver.catch(() => undefined);
    return { found: f, driver };
  });
}

/** `--page` alone: the dashboard of the target's own HTTP side (the embedded simulator's, or a `serve`'s). */
export function pageUrlOf(s: RunSettings, target: { url: string; httpUrl?: string }): string {
  if (typeof s.page === 'string') return s.page;
  const origin = target.httpUrl ?? new URL(target.url).origin.replace(/^ws/, 'http');
  return `${origin}${DASHBOARD_PATH}`;
}

const sampleProcess: ProcessSampler = (pid) => {
  const sampler = new ResourceSampler(pidSource(pid));
  sampler.start();
  return { stop: () => sampler.stop() };
};

/**
 * The browser phase beside the load: the session opens the page in every
 * browser from the run's start (the page loads during the ramp), shoots the
 * page at the steady phase's start and end, and cuts one page socket where
 * the chaos round falls (none with chaos off).
 */
export function startPageMeasure(s: RunSettings, profile: TargetProfile, target: { url: string; httpUrl?: string }, browsers: PageBrowser[], startedAt: number, clockOffsetMs: number) {
  const plan = loadPlan(s);
  const steady = { startMs: startedAt + plan.steadyStartMs, endMs: startedAt + plan.steadyEndMs };
  const steadyMs = plan.steadyEndMs - plan.steadyStartMs;
  const session = new BrowserSession({
    browsers: browsers.map((b) => ({ found: b.found, driver: b.driver, owned: true })),
    pageUrl: pageUrlOf(s, target),
    watch: s.watch ?? (s.page === true ? DASHBOARD_WATCH : undefined),
    targetUrl: target.url,
    profile,
    clockOffsetMs,
    steady,
    pages: s.pageCount ?? 1,
    ...(s.chaos ? { cutAtMs: steady.startMs + (s.chaos.atMs ?? steadyMs / 3) } : {}),
    loadTimeoutMs: 10_000,
    sampleProcess,
    maxFrameChars: Math.min(MAX_FRAME_CHARS, s.maxFrameBytes),
  });
  return {
    stop: () => session.stop(),
    async finish(steadyActual: { startMs: number; endMs: number }): Promise<BrowserRun[]> {
      await session.stop();
      return session.results(steadyActual, PAGE_RECONNECT_LIMIT_MS);
    },
  };
}
