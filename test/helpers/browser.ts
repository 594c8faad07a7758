import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import chromium from '@sparticuz/chromium';
import { chromium as playwright, type BrowserContext } from 'playwright-core';

/**
 * A headless Chromium for the HTML report tests, from npm alone: the
 * @sparticuz/chromium package ships a brotli-packed headless_shell in
 * node_modules, so `npm ci` is all a machine needs (no apt, no download).
 *
 * The package unpacks into os.tmpdir()/chromium and reuses whatever it finds
 * there, whoever put it there and at whatever version. Here it unpacks into a
 * fresh folder under node_modules/.cache, which is then renamed into place in
 * one step: a folder named for the package version holds a whole browser of
 * that version or does not exist, even with two test runs unpacking at once.
 *   node_modules/.cache/livestream-bench-chromium/143.0.4/chromium
 */
const require = createRequire(import.meta.url);

const NODE_MODULES = join(dirname(require.resolve('playwright-core/package.json')), '..');

function packageVersion(): string {
  // the package's exports do not include its package.json
  const pkg = JSON.parse(readFileSync(join(NODE_MODULES, '@sparticuz', 'chromium', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

async function unpacked(): Promise<string> {
  const root = join(NODE_MODULES, '.cache', 'livestream-bench-chromium');
  const home = join(root, packageVersion());
  const binary = join(home, 'chromium');
  if (existsSync(binary)) return binary;
  mkdirSync(root, { recursive: true });
  const staging = mkdtempSync(join(root, 'unpacking-'));
  const saved = { TMPDIR: process.env.TMPDIR, AWS_EXECUTION_ENV: process.env.AWS_EXECUTION_ENV };
  process.env.TMPDIR = staging;
  // The package unpacks the libraries the browser links beyond libc (NSS,
  // NSPR, expat) only where it thinks it is on AWS Lambda: told so, it does,
  // and the test needs no libnss3 from the system either.
  process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs20.x';
  try {
    const path = await chromium.executablePath();
    if (dirname(path) !== staging) throw new Error(`@sparticuz/chromium unpacked to ${path}, not under ${staging}`);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  try {
    renameSync(staging, home);
  } catch (e) {
    // another run got there first: its copy is whole, this one goes
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(binary)) throw e;
  }
  return binary;
}

export interface BrowserOptions {
  viewport?: { width: number; height: number };
  /** The reader's locale; without one the shell reports "en-US@posix", which Intl refuses. */
  locale?: string;
  /** The reader's time zone (IANA name); the machine's when unset. */
  timezoneId?: string;
}

/** A persistent context (its own profile folder) on the packaged Chromium. */
export async function launchChromium(profileDir: string, options: BrowserOptions = {}): Promise<BrowserContext> {
  const executablePath = await unpacked();
  const libs = join(dirname(executablePath), 'al2023', 'lib');
  const env = { ...process.env, LD_LIBRARY_PATH: [libs, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') };
  // WebGL off: uPlot draws on a 2D canvas, and the SwiftShader stack is not needed
  chromium.setGraphicsMode = false;
  return playwright.launchPersistentContext(profileDir, {
    executablePath,
    env,
    headless: true,
    args: [...chromium.args, '--headless', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    viewport: options.viewport ?? { width: 1280, height: 900 },
    locale: options.locale ?? 'en-US',
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
  });
}
