import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserFootprint, BrowserRun } from '../metrics/browser-results.js';
import type { ResourceSeries } from '../metrics/resource-series.js';
import type { TargetProfile } from '../profile/index.js';
import { launchChromium } from './chromium-driver.js';
import type { BrowserDriver } from './driver.js';
import type { FoundBrowser } from './find-browser.js';
import { launchFirefox } from './firefox-driver.js';
import { PageObserver } from './page-observer.js';
import { PageStream } from './page-stream.js';

/** Samples a process tree's CPU and memory until stopped (the engine's resource sampler). */
export type ProcessSampler = (pid: number) => { stop(): ResourceSeries | undefined };

export interface SessionOptions {
  /**
   * The browsers, found beforehand. A `driver` given (or its launch under
   * way) is used; `owned` ones are closed at the end, the others (a test's
   * shared launch) left open.
   */
  browsers: readonly { found: FoundBrowser; driver?: BrowserDriver | Promise<BrowserDriver>; owned?: boolean }[];
  pageUrl: string;
  watch?: string;
  /** The ws URL the load clients test. */
  targetUrl: string;
  profile: TargetProfile;
  clockOffsetMs: number;
  /** The planned steady phase, epoch ms: the start screenshot and the cut are timed by it. */
  steady: { startMs: number; endMs: number };
  /** Main pages per browser (the refused-socket page comes beside them). */
  pages: number;
  /** Epoch ms to cut one socket of the first main page; none: no cut. */
  cutAtMs?: number;
  loadTimeoutMs: number;
  sampleProcess?: ProcessSampler;
  maxFrameChars: number;
}

interface Live {
  found: FoundBrowser;
  asked: string;
  owned: boolean;
  launching?: Promise<BrowserDriver>;
  driver?: BrowserDriver;
  error?: string;
  version?: string;
  stream: PageStream;
  main: PageObserver[];
  refused?: PageObserver;
  sampler?: { stop(): ResourceSeries | undefined };
  series?: ResourceSeries;
  screenshots: { start?: string; end?: string };
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0];

/**
 * Real browsers on the frontend page while the load runs: each browser
 * opens `pages` pages as they are and one with its socket refused (the
 * fallback), a screenshot at the start of the steady phase and at its end,
 * one socket of the first page cut on schedule. `stop` closes it all;
 * `results` measures what was seen over the run's steady phase.
 */
export class BrowserSession {
  private readonly live: Live[];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly started: Promise<void>;
  private stopping?: Promise<void>;

  constructor(private readonly o: SessionOptions) {
    this.live = o.browsers.map(({ found, driver, owned }) => ({
      found,
      asked: found.asked,
      owned: owned ?? driver === undefined,
      launching: driver === undefined ? undefined : Promise.resolve(driver),
      stream: new PageStream(o.profile, o.clockOffsetMs, o.steady),
      main: [],
      screenshots: {},
    }));
    this.started = Promise.all(this.live.map((b) => this.open(b))).then(() => undefined);
    const at = (ms: number, fn: () => void) => this.timers.push(setTimeout(fn, Math.max(0, ms - Date.now())));
    at(o.steady.startMs, () => void this.shoot('start'));
  }

  /** Resolves once every browser has its pages loaded (or has failed). */
  ready(): Promise<void> {
    return this.started;
  }

  private async open(b: Live): Promise<void> {
    try {
      b.launching ??= launchBrowser(b.found);
      b.driver = await b.launching;
      if (b.driver.pid !== undefined && this.o.sampleProcess) b.sampler = this.o.sampleProcess(b.driver.pid);
      const observer = async (role: 'main' | 'refused', k: number) => {
        const page = await b.driver!.newPage();
        return new PageObserver(page, {
          role,
          url: this.o.pageUrl,
          watch: role === 'main' ? this.o.watch : undefined,
          targetUrl: this.o.targetUrl,
          stream: role === 'main' ? b.stream : undefined,
          key: `${role}${k}`,
          typeField: this.o.profile.envelope.typeField,
          maxFrameChars: this.o.maxFrameChars,
          ...(role === 'main' && k === 0 && this.o.cutAtMs !== undefined ? { cutAt: this.o.cutAtMs } : {}),
        });
      };
      for (let k = 0; k < this.o.pages; k++) b.main.push(await observer('main', k));
      b.refused = await observer('refused', 0);
      await Promise.all([...b.main, b.refused].map((p) => p.load(this.o.loadTimeoutMs)));
      b.version = await b.driver.version().catch(() => undefined);
    } catch (err) {
      b.error = errorText(err);
    }
  }

  private async shoot(which: 'start' | 'end'): Promise<void> {
    await Promise.all(
      this.live.map(async (b) => {
        const first = b.main[0];
        if (!first || b.error) return;
        try {
          b.screenshots[which] = await first.screenshot();
        } catch {
          // a page gone or busy: no picture, nothing else lost
        }
      }),
    );
  }

  /** The end screenshot, then every page and owned browser closed; safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const t of this.timers) clearTimeout(t);
      await this.started;
      await this.shoot('end');
      for (const b of this.live) {
        b.series = b.sampler?.stop();
        await Promise.all([...b.main, ...(b.refused ? [b.refused] : [])].map((p) => p.close()));
        if (b.owned) await b.driver?.close().catch(() => undefined);
      }
    })();
    return this.stopping;
  }

  /** What each browser saw, measured over the run's steady phase. */
  results(steady: { startMs: number; endMs: number }, reconnectLimitMs: number): BrowserRun[] {
    const fastest = Math.min(...this.o.profile.channels.map((c) => c.intervalMs));
    return this.live.map((b) => {
      const pages = [...b.main, ...(b.refused ? [b.refused] : [])].map((p) => p.result(steady, reconnectLimitMs));
      const footprint = b.series ? footprintOf(b.series) : undefined;
      return {
        kind: b.found.kind,
        asked: b.asked,
        origin: b.found.origin,
        ...(b.version ? { version: b.version } : {}),
        ...(b.error ? { error: b.error } : {}),
        fastestIntervalMs: Number.isFinite(fastest) ? fastest : 1000,
        pages,
        checks: b.stream.finish(steady.endMs),
        ...(footprint ? { footprint } : {}),
        ...(b.screenshots.start || b.screenshots.end ? { screenshots: b.screenshots } : {}),
      };
    });
  }
}

/** Launches a browser on a fresh profile folder, removed when the browser closes. */
export async function launchBrowser(found: FoundBrowser): Promise<BrowserDriver> {
  const dir = mkdtempSync(join(tmpdir(), `lsb-${found.kind}-`));
  const driver = found.kind === 'firefox' ? await launchFirefox(found, dir) : await launchChromium(found, dir);
  return {
    pid: driver.pid,
    newPage: () => driver.newPage(),
    version: () => driver.version(),
    async close() {
      await driver.close();
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

/** Mean and peak of a browser's CPU and resident memory over its samples. */
export function footprintOf(series: ResourceSeries): BrowserFootprint | undefined {
  const cpu = series.points.map((p) => p.cpuShare).filter((v): v is number => v !== null);
  const rss = series.points.map((p) => p.rssBytes).filter((v): v is number => v !== null);
  if (rss.length === 0) return undefined;
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  return { cpuMeanShare: mean(cpu), cpuPeakShare: cpu.length ? Math.max(...cpu) : 0, rssMeanBytes: mean(rss), rssPeakBytes: Math.max(...rss), samples: series.points.length };
}
