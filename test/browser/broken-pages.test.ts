import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserDriver } from '../../src/browser/driver.js';
import { findBrowser, onSystem, type FoundBrowser } from '../../src/browser/find-browser.js';
import { BrowserSession, launchBrowser } from '../../src/browser/session.js';
import type { BrowserRun } from '../../src/metrics/browser-results.js';
import { findProfile } from '../../src/profile/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { CRITERIA, type JudgeInput } from '../../src/verdict/criteria/index.js';

/**
 * Pages broken the ways a frontend breaks, served by a tiny HTTP server
 * beside an in-process simulator, each opened by a browser session on one
 * shared Chromium (the packaged one: this runs on a fresh clone) at the same
 * time; each must fail its own criterion and pass the others it can.
 */
const profile = findProfile('aurigraph-v11')!;
const fastest = [...profile.channels].sort((a, b) => a.intervalMs - b.intervalMs)[0];
const numeric = Object.keys((fastest.payloadSchema.properties ?? {}) as object)[0];

let sim: RunningSimulator;
let http: Server;
let base: string;
let chromium: { found: FoundBrowser; driver: BrowserDriver };

interface PageKind {
  connectTo?: string;
  update?: boolean;
  poll?: boolean;
  throwOnLoad?: boolean;
  /** Throws when the user agent says Firefox. */
  chromiumOnly?: boolean;
}

/** A small frontend: its socket, its figure, its polling, each switchable. */
function page(k: PageKind): string {
  const cfg = {
    ws: k.connectTo ?? sim.url,
    snapshot: `${sim.httpUrl}${profile.fallbackPath}`,
    subscribe: profile.control.subscribe!(fastest.channel),
    welcome: profile.replies.welcome,
    typeField: profile.envelope.typeField,
    payloadField: profile.envelope.payloadField,
    type: fastest.messageType,
    channel: fastest.channel,
    field: numeric,
    update: k.update !== false,
    poll: k.poll !== false,
  };
  // a script of its own throws: the page's other script still runs, as in a real bundle split in chunks
  return `<!doctype html><html><body><div id="figure">-</div>
${k.throwOnLoad ? "<script>throw new Error('the page broke on load');</script>" : ''}
<script>
${k.chromiumOnly ? "if (navigator.userAgent.includes('Firefox')) throw new Error('works in Chromium only');" : ''}
var cfg = ${JSON.stringify(cfg)};
var fig = document.getElementById('figure');
var timer = 0;
function show(p) { if (cfg.update && p) fig.textContent = String(p[cfg.field]); }
function poll() { if (!cfg.poll || timer) return; timer = setInterval(function () { fetch(cfg.snapshot).then(function (r) { return r.json(); }).then(function (d) { show(d[cfg.channel]); }); }, 1000); }
var ws = new WebSocket(cfg.ws);
ws.onmessage = function (e) {
  var m = JSON.parse(e.data);
  if (m[cfg.typeField] === cfg.welcome) ws.send(JSON.stringify(cfg.subscribe));
  if (m[cfg.typeField] === cfg.type) show(m[cfg.payloadField]);
};
ws.onclose = poll;
</script></body></html>`;
}

const PAGES: Record<string, PageKind> = {
  good: {},
  throws: { throwOnLoad: true },
  frozen: { update: false },
  wrongUrl: {},
  noPoll: { poll: false },
  chromiumOnly: { chromiumOnly: true },
};

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 7 });
  PAGES.wrongUrl.connectTo = sim.url.replace(profile.path, '/not/the/stream');
  http = createServer((req, res) => {
    const name = (req.url ?? '/').slice(1);
    const kind = PAGES[name];
    if (!kind) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html' }).end(page(kind));
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const found = await findBrowser('chromium');
  chromium = { found, driver: await launchBrowser(found) };
  // one page first, its results unread: the pages a fresh browser opens first now and then lose their
  // reports (see below); a retry, in a browser that has opened pages, has always passed
  await observe('good', [chromium]);
}, 60_000);

afterAll(async () => {
  await chromium?.driver.close();
  await new Promise((r) => http?.close(r));
  await sim?.close();
});

/** Opens the page in the browsers for a short steady phase and returns what each saw. */
async function observe(name: string, browsers: { found: FoundBrowser; driver: BrowserDriver }[], steadyMs = 2500): Promise<BrowserRun[]> {
  const now = Date.now();
  const steady = { startMs: now + 1200, endMs: now + 1200 + steadyMs };
  const session = new BrowserSession({ browsers, pageUrl: `${base}/${name}`, watch: '#figure', targetUrl: sim.url, profile, clockOffsetMs: 0, steady, pages: 1, loadTimeoutMs: 10_000, maxFrameChars: 65_536 });
  await session.ready();
  await new Promise((r) => setTimeout(r, Math.max(0, steady.endMs - Date.now())));
  await session.stop();
  return session.results(steady, 15_000);
}

function judged(browsers: BrowserRun[]): Record<string, string> {
  const input = { browsers } as unknown as JudgeInput;
  const ids = ['page_load', 'ui_updates', 'page_fallback', 'cross_browser'];
  return Object.fromEntries(CRITERIA.filter((c) => ids.includes(c.id)).map((c) => [c.id, c.judge(input).status]));
}

describe('broken pages fail the right browser criterion (packaged Chromium)', () => {
  // retried once by name: in a fresh browser one page's reports now and then never arrived (its pageErrors
  // held playwright's "Cannot read properties of undefined (reading 'addBinding')"); the messages below show which
  it('each page fails its own criterion and only that', { retry: 1, timeout: 30_000 }, async () => {
    const names = ['good', 'throws', 'frozen', 'wrongUrl', 'noPoll'];
    const runs = await Promise.all(names.map((n) => observe(n, [chromium])));
    const by = Object.fromEntries(names.map((n, i) => [n, judged(runs[i])]));
    expect(by.good, JSON.stringify(by)).toEqual({ page_load: 'pass', ui_updates: 'pass', page_fallback: 'pass', cross_browser: 'pass' });
    // throws on load: page_load (and so cross_browser); its stream still works
    expect(by.throws, JSON.stringify({ by, refused: runs[1][0].pages.filter((p) => p.role === 'refused').map((p) => ({ loaded: p.loaded, polls: p.polls, errors: p.pageErrors, loadError: p.loadError })) })).toMatchObject({ page_load: 'fail', ui_updates: 'pass', page_fallback: 'pass', cross_browser: 'fail' });
    expect(runs[1][0].pages[0].pageErrors[0]).toContain('the page broke on load');
    // connects, never updates the element
    expect(by.frozen, JSON.stringify(by)).toMatchObject({ page_load: 'pass', ui_updates: 'fail', cross_browser: 'fail' });
    // opens a socket, but not to the stream under test
    expect(by.wrongUrl.page_load).toBe('fail');
    expect(runs[3][0].pages[0].sockets[0]).toMatchObject({ isTarget: false });
    // never polls with the socket refused
    expect(by.noPoll, JSON.stringify(by)).toEqual({ page_load: 'pass', ui_updates: 'pass', page_fallback: 'fail', cross_browser: 'pass' });
    const refused = runs[4][0].pages.find((p) => p.role === 'refused')!;
    expect(refused.polls).toMatchObject({ polls: 0 });
    expect(refused.sockets[0]).toMatchObject({ refused: true, closeCode: 1006 });
    // the good page's stream went through the load clients' checks
    expect(runs[0][0].checks).toMatchObject({ violations: {}, lost: 0 });
    expect(runs[0][0].checks!.received).toBeGreaterThan(0);
  });

  it('a page that works in Chromium only fails cross_browser when Firefox is asked for too', async (ctx) => {
    if (!onSystem('firefox')) {
      ctx.skip(true, 'Firefox is not installed: apt-get install firefox-esr');
      return;
    }
    const found = await findBrowser('firefox');
    const firefox = { found, driver: await launchBrowser(found) };
    try {
      const runs = await observe('chromiumOnly', [chromium, firefox], 1500);
      expect(runs.map((r) => r.kind)).toEqual(['chromium', 'firefox']);
      expect(judged(runs)).toMatchObject({ page_load: 'fail', cross_browser: 'fail' });
      const cross = CRITERIA.find((c) => c.id === 'cross_browser')!.judge({ browsers: runs } as unknown as JudgeInput);
      expect(cross.observed).toBe('chromium pass, firefox fail');
    } finally {
      await firefox.driver.close();
    }
  }, 40_000);
});
