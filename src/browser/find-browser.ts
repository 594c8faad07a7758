import { accessSync, constants, statSync } from 'node:fs';
import { basename, delimiter, isAbsolute, join, resolve } from 'node:path';
import { usageError } from '../errors.js';
import { packagedChromium, packagedChromiumInstalled, type PackagedChromium } from './packaged-chromium.js';

/**
 * Finds the browsers `--browser` asks for: a name looks on PATH and in the
 * usual install places, Chromium then falls back to the packaged one
 * (@sparticuz/chromium); a path is taken as it is, its kind read from its
 * name. A browser not found is a usage error naming what to install.
 */
export type BrowserKind = 'chromium' | 'firefox';

export interface FoundBrowser {
  kind: BrowserKind;
  asked: string;
  executablePath: string;
  origin: 'system' | 'path' | 'packaged';
  packaged?: PackagedChromium;
}

const NAMES: Record<BrowserKind, string[]> = {
  chromium: ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'],
  firefox: ['firefox', 'firefox-esr'],
};

const USUAL: Record<BrowserKind, string[]> = {
  chromium: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/opt/google/chrome/chrome', '/snap/bin/chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'],
  firefox: ['/usr/bin/firefox-esr', '/usr/bin/firefox', '/usr/lib/firefox-esr/firefox-esr', '/usr/lib/firefox/firefox', '/opt/firefox/firefox', '/Applications/Firefox.app/Contents/MacOS/firefox'],
};

const INSTALL: Record<BrowserKind, string> = {
  chromium: 'install Chromium (apt-get install chromium) or the packaged one (npm install @sparticuz/chromium), or pass --browser <path to chrome>',
  firefox: 'install Firefox 129 or newer (apt-get install firefox-esr), or pass --browser <path to firefox>',
};

export const BROWSER_NAMES: readonly BrowserKind[] = ['chromium', 'firefox'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The first of the names on PATH, then of the usual places. */
export function onSystem(kind: BrowserKind, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of NAMES[kind]) for (const d of dirs) if (executable(join(d, name))) return join(d, name);
  return USUAL[kind].find(executable);
}

/** A path's kind, from its name: firefox is firefox, anything else speaks CDP. */
export function kindOfPath(path: string): BrowserKind {
  return /firefox/i.test(basename(path)) ? 'firefox' : 'chromium';
}

export function isBrowserPath(spec: string): boolean {
  return spec.includes('/') || spec.includes('\\') || isAbsolute(spec);
}

export async function findBrowser(spec: string): Promise<FoundBrowser> {
  if (isBrowserPath(spec)) {
    const path = resolve(spec);
    if (!executable(path)) throw usageError(`--browser ${spec}: no executable browser there`);
    return { kind: kindOfPath(path), asked: spec, executablePath: path, origin: 'path' };
  }
  const kind = spec as BrowserKind;
  if (!BROWSER_NAMES.includes(kind)) throw usageError(`--browser ${spec}: not chromium, firefox or a path to a browser`);
  const system = onSystem(kind);
  if (system) return { kind, asked: spec, executablePath: system, origin: 'system' };
  if (kind === 'chromium' && packagedChromiumInstalled()) {
    const packaged = await packagedChromium();
    if (packaged) return { kind, asked: spec, executablePath: packaged.executablePath, origin: 'packaged', packaged };
  }
  throw usageError(`--browser ${spec}: no ${kind === 'chromium' ? 'Chromium or Chrome' : 'Firefox'} found on PATH or in the usual places; ${INSTALL[kind]}`);
}

/** Every browser asked for, found before anything runs (a missing one is exit 2, nothing started). */
export async function findBrowsers(specs: readonly string[]): Promise<FoundBrowser[]> {
  const out: FoundBrowser[] = [];
  for (const s of specs) out.push(await findBrowser(s));
  return out;
}
