import { chromium as playwright, type BrowserContext } from 'playwright-core';
import { packagedChromium } from '../../src/browser/packaged-chromium.js';

/**
 * A headless Chromium for the HTML report tests, from npm alone: the
 * optional @sparticuz/chromium ships a packed headless_shell in node_modules,
 * unpacked by the product's own src/browser/packaged-chromium.ts, so
 * `npm ci` is all a machine needs (no apt, no download).
 */
export interface BrowserOptions {
  viewport?: { width: number; height: number };
  /** The reader's locale; null leaves the shell's own ("en-US@posix", which Intl refuses). */
  locale?: string | null;
  /** The reader's time zone (IANA name); the machine's when unset. */
  timezoneId?: string;
}

/** A persistent context (its own profile folder) on the packaged Chromium. */
export async function launchChromium(profileDir: string, options: BrowserOptions = {}): Promise<BrowserContext> {
  const packaged = await packagedChromium();
  if (!packaged) throw new Error('@sparticuz/chromium is not installed (npm ci installs it)');
  return playwright.launchPersistentContext(profileDir, {
    executablePath: packaged.executablePath,
    env: { ...process.env, ...packaged.env },
    headless: true,
    args: [...packaged.args, '--headless', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    viewport: options.viewport ?? { width: 1280, height: 900 },
    ...(options.locale === null ? {} : { locale: options.locale ?? 'en-US' }),
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
  });
}
