import type { BrowserContext, Page } from 'playwright-core';
import type { FoundBrowser } from './find-browser.js';
import { CHROMIUM_ARGS, VIEWPORT, type BrowserDriver, type PageDriver } from './driver.js';
import { processWithArg } from './processes.js';

/** Chromium over CDP, through playwright-core, on a fresh profile folder. */
export async function launchChromium(found: FoundBrowser, profileDir: string): Promise<BrowserDriver> {
  // the packaged shell runs as one process on Lambda; on a machine its own processes suit better
  const packagedArgs = (found.packaged?.args ?? []).filter((a) => !/^--(single-process|no-zygote|headless=|in-process-gpu|use-gl|use-angle|enable-unsafe-swiftshader)/.test(a));
  // loaded when a page is asked for: a run without --page never pays for the browser library
  const { chromium } = await import('playwright-core');
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: found.executablePath,
    env: { ...process.env, ...found.packaged?.env },
    headless: true,
    args: [...new Set([...packagedArgs, ...CHROMIUM_ARGS])],
    viewport: VIEWPORT,
    // the shell's own default ("en-US@posix") is no tag Intl accepts: pages would throw on it
    locale: 'en-US',
  });
  const first = context.pages()[0];
  let spare: Page | undefined = first;
  return {
    pid: processWithArg(profileDir),
    async newPage() {
      const page = spare ?? (await context.newPage());
      spare = undefined;
      return chromiumPage(context, page);
    },
    async version() {
      // a persistent context has no Browser object to ask: the protocol tells
      const cdp = await context.newCDPSession(context.pages()[0] ?? (await context.newPage()));
      const v = (await cdp.send('Browser.getVersion')) as { product: string };
      await cdp.detach();
      return v.product;
    },
    close: () => context.close(),
  };
}

function chromiumPage(_context: BrowserContext, page: Page): PageDriver {
  return {
    async prepare(script, binding, onBatch) {
      await page.exposeBinding(binding, (_source, json: string) => onBatch(json));
      await page.addInitScript({ content: script });
    },
    async goto(url, timeoutMs) {
      const res = await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
      return { status: res?.status() };
    },
    onPageError: (cb) => page.on('pageerror', (e) => cb(e.message)),
    onConsoleError: (cb) => page.on('console', (m) => m.type() === 'error' && cb(m.text())),
    onResponse: (cb) => page.on('response', (r) => cb({ url: r.url(), method: r.request().method(), status: r.status() })),
    screenshot: async () => (await page.screenshot({ type: 'png' })).toString('base64'),
    close: () => page.close(),
  };
}
