import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * `livestream-bench serve` as a child process (the real bin, built by
 * `pretest`), and what /proc says about a process: so that memory and CPU
 * are measured on the simulator alone, not on the test process.
 */

export const BIN = fileURLToPath(new URL('../../bin/livestream-bench.js', import.meta.url));
export const DIST = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface ServeChild {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The first `n` stdout lines (rejects if it exits before printing them). */
  lines(n: number): Promise<string[]>;
  readonly firstLine: Promise<string>;
  stderr(): string;
  /** The ws:// or wss:// URL of the first line. */
  url(): Promise<string>;
  stop(): Promise<void>;
}

/** `nodeArgs` go to node itself (V8 flags), before the bin; `env` is added to the child's environment. */
export function serve(args: readonly string[], nodeArgs: readonly string[] = [], env: Record<string, string> = {}): ServeChild {
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  const seen: string[] = [];
  const waiting = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    seen.push(line);
    for (const w of waiting) w();
  });
  const lines = (n: number): Promise<string[]> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (seen.length < n) return;
        waiting.delete(check);
        resolve(seen.slice(0, n));
      };
      waiting.add(check);
      check();
      void exited.then(() => {
        if (seen.length < n) reject(new Error(`serve exited before printing ${n} lines: ${stderr}`));
      });
    });
  const firstLine = lines(1).then((l) => l[0]);
  firstLine.catch(() => {}); // tests of failing starts never read it
  return {
    child,
    exited,
    lines,
    firstLine,
    stderr: () => stderr,
    url: async () => /wss?:\/\/\S+/.exec(await firstLine)![0],
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resident memory of a process, bytes (VmRSS). */
export function rssOf(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s*kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}

/** CPU seconds (user + system, every thread) of a process so far; assumes 100 ticks/s (Linux's USER_HZ). */
export function cpuSecondsOf(pid: number): number {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
