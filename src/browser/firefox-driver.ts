import type { Page } from 'puppeteer-core';
import type { FoundBrowser } from './find-browser.js';
import { VIEWPORT, type BrowserDriver, type PageDriver } from './driver.js';

/** Firefox over WebDriver BiDi, through puppeteer-core (Firefox 129 or newer), on a fresh profile folder. */
export async function launchFirefox(found: FoundBrowser, profileDir: string): Promise<BrowserDriver> {
  // loaded when a page is asked for: a run without --page never pays for the browser library
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: found.executablePath,
    headless: true,
    userDataDir: profileDir,
    defaultViewport: VIEWPORT,
    // nothing reaches out from a closed network: no updates, telemetry or captive-portal checks
    extraPrefsFirefox: {
      'app.update.enabled': false,
      'network.captive-portal-service.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      'network.connectivity-service.enabled': false,
    },
  });
  let spare: Page | undefined = (await browser.pages())[0];
  return {
    pid: browser.process()?.pid,
    async newPage() {
      const page = spare ?? (await browser.newPage());
      spare = undefined;
      return firefoxPage(page);
    },
    version: () => browser.version(),
    close: () => browser.close(),
  };
}

function firefoxPage(page: Page): PageDriver {
  return {
    async prepare(script, binding, onBatch) {
      // The agent's reports come as console entries (BiDi log.entryAdded): puppeteer's
      // exposeFunction over BiDi makes the page throw "Permission denied to access
      // property" on Firefox 140, and costs round trips per call. The console is
      // taken before the page's scripts run, so a page that replaces it changes nothing.
      const prefix = `${binding}:`;
      page.on('console', (m) => {
        const text = m.text();
        if (m.type() === 'debug' && text.startsWith(prefix)) onBatch(text.slice(prefix.length));
      });
      await page.evaluateOnNewDocument(`(function (log) { window[${JSON.stringify(binding)}] = function (s) { log(${JSON.stringify(prefix)} + s); }; })(console.debug.bind(console));\n${script}`);
    },
    async goto(url, timeoutMs) {
      const res = await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
      return { status: res?.status() };
    },
    onPageError: (cb) => page.on('pageerror', (e) => cb(e instanceof Error ? e.message : String(e))),
    onConsoleError: (cb) => page.on('console', (m) => m.type() === 'error' && cb(m.text())),
    onResponse: (cb) => page.on('response', (r) => cb({ url: r.url(), method: r.request().method(), status: r.status() })),
    screenshot: async () => (await page.screenshot({ encoding: 'base64', type: 'png' })) as string,
    close: () => page.close(),
  };
}
