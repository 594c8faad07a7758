import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * A headless Chromium from npm alone: the optional dependency
 * @sparticuz/chromium ships a brotli-packed headless_shell inside its
 * package, so a fresh clone runs the browser phase with no system browser.
 *
 * The package unpacks into os.tmpdir()/chromium and reuses whatever it finds
 * there, whoever put it there and at whatever version. Here it unpacks into a
 * fresh folder under node_modules/.cache, which is then renamed into place in
 * one step: a folder named for the package version holds a whole browser of
 * that version or does not exist, even with two runs unpacking at once.
 *   node_modules/.cache/livestream-bench-chromium/143.0.4/chromium
 */
const require = createRequire(import.meta.url);
const PACKAGE = '@sparticuz/chromium';

export interface PackagedChromium {
  executablePath: string;
  /** LD_LIBRARY_PATH with the libraries the package brings (NSS, NSPR, expat). */
  env: Record<string, string>;
  /** The package's own launch flags, less the ones that do not suit a desktop machine. */
  args: string[];
  version: string;
}

/** The package's folder, or undefined when the optional dependency is not installed. */
function packageDir(): string | undefined {
  try {
    // the package's exports do not include its package.json: find it from its entry point
    // (its build folders hold package.json files of their own, without a name)
    for (let dir = dirname(require.resolve(PACKAGE)); dirname(dir) !== dir; dir = dirname(dir)) {
      const file = join(dir, 'package.json');
      if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === PACKAGE) return dir;
    }
    return undefined;
  } catch {
    return undefined;
  }
}

export function packagedChromiumInstalled(): boolean {
  return packageDir() !== undefined;
}

async function unpack(pkgDir: string, version: string): Promise<string> {
  const root = join(pkgDir, '..', '..', '.cache', 'livestream-bench-chromium');
  const home = join(root, version);
  const binary = join(home, 'chromium');
  if (existsSync(binary)) return binary;
  mkdirSync(root, { recursive: true });
  const staging = mkdtempSync(join(root, 'unpacking-'));
  const saved = { TMPDIR: process.env.TMPDIR, AWS_EXECUTION_ENV: process.env.AWS_EXECUTION_ENV };
  process.env.TMPDIR = staging;
  // The package unpacks the libraries the browser links beyond libc (NSS,
  // NSPR, expat) only where it thinks it is on AWS Lambda: told so, it does,
  // and no libnss3 is needed from the system either.
  process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs20.x';
  try {
    const chromium = (await import(PACKAGE)).default as { executablePath(): Promise<string> };
    const path = await chromium.executablePath();
    if (dirname(path) !== staging) throw new Error(`${PACKAGE} unpacked to ${path}, not under ${staging}`);
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

/** The packaged Chromium, unpacked on first use; undefined when the package is not installed. */
export async function packagedChromium(): Promise<PackagedChromium | undefined> {
  const dir = packageDir();
  if (!dir) return undefined;
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
  const executablePath = await unpack(dir, version);
  const mod = (await import(PACKAGE)).default as { args: string[]; setGraphicsMode: boolean };
  // WebGL off: pages and the report draw on a 2D canvas, and the SwiftShader stack is not needed
  mod.setGraphicsMode = false;
  const libs = join(dirname(executablePath), 'al2023', 'lib');
  return {
    executablePath,
    env: { LD_LIBRARY_PATH: [libs, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') },
    args: mod.args,
    version,
  };
}
