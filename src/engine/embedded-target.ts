import { PROFILE_DOCUMENT_ENV, type ProfileDocument } from '../profile/index.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { harnessError } from '../errors.js';
import { BUSY_PROCESS_EXEC_ARGV } from '../v8-flags.js';
import { parseExposition } from './prometheus-source.js';

/**
 * How much lower the embedded simulator's priority is than the harness's
 * (nice steps). It shares the machine's cores with the
 * harness, which has to stamp each message when it arrives: at equal priority
 * a simulator writing a tick to 20,000 sockets takes the cores from the
 * harness, which then reads a whole burst late in one block (event-loop p99
 * 75-124 ms at 20,000 clients, over the 100 ms saturation bound). Niced, the
 * simulator yields whenever the harness has frames to read (36-43 ms over seven runs), and
 * its own lateness shows up where it belongs, in the latency it is judged on.
 * The simulator is started through `nice`, so that every thread and every
 * worker it forks has it from exec on (a nice value is per thread on Linux:
 * setpriority on a running process reaches its main thread only). Only when
 * asked, see simulatorYields. A target started by hand is left as it is:
 * `nice -n 5 livestream-bench serve` does the same there.
 */
export const EMBEDDED_TARGET_NICE = 5;

/**
 * Whether the embedded simulator yields the cores to the harness. With every
 * client checked in full the harness saturates first, and its timestamps are
 * what the verdict rests on. A capacity run (`--check-sample` below 1) makes
 * the harness light and the simulator the bottleneck: niced there, at 50,000
 * clients it skipped ticks and stalled accepts (28,908 connected, 239,837
 * lost; at equal priority the same day 42,237-49,068 connected, 0-22,570 lost).
 */
export function simulatorYields(checkSample = 1): boolean {
  return checkSample >= 1;
}

/** coreutils' nice, where it is installed. */
const NICE_BIN = ['/usr/bin/nice', '/bin/nice'].find((p) => existsSync(p));

/** The bin, found from this file in both src/ (tests) and dist/ (installed). */
const BIN = fileURLToPath(new URL('../../bin/livestream-bench.js', import.meta.url));

export interface EmbeddedTarget {
  url: string;
  pid: number;
  /** Base http:// URL of the same server (snapshot, metrics). */
  httpUrl: string;
  /** Nice steps it runs below the harness, as read back from its process (0: equal priority). */
  nice: number;
  /** Ticks the simulator skipped because its own event loop was blocked past them (overload); undefined if unreadable. */
  ticksSkipped(): Promise<number | undefined>;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  faults?: readonly string[];
  /** Loopback addresses to listen on (default 127.0.0.1). */
  hosts?: readonly string[];
  /** Simulator processes (`serve --workers`): one holds at most ~15,000 connections here. */
  workers?: number;
  seed?: number;
  /** The profile it serves, by value: the simulator never reads the user's file itself. */
  profile?: { ref: string; document: ProfileDocument };
  startTimeoutMs?: number;
  /** Run niced (EMBEDDED_TARGET_NICE): the harness first when both want the cores. */
  yieldToHarness?: boolean;
}

/**
 * Starts the bundled simulator in its own process on a free loopback port,
 * so that its CPU and memory are measured apart from the harness, and reads
 * the ws:// URL from its first stdout line.
 */
export function startEmbeddedTarget(options: EmbeddedOptions = {}): Promise<EmbeddedTarget> {
  const args = [...BUSY_PROCESS_EXEC_ARGV, BIN, 'serve', '--host', (options.hosts ?? ['127.0.0.1']).join(','), '--port', '0'];
  if ((options.workers ?? 1) > 1) args.push('--workers', String(options.workers));
  for (const f of options.faults ?? []) args.push('--fault', f);
  if (options.seed !== undefined) args.push('--seed', String(options.seed));
  const env = { ...process.env };
  if (options.profile) {
    args.push('--profile', options.profile.ref);
    env[PROFILE_DOCUMENT_ENV] = JSON.stringify(options.profile.document);
  }
  const niceBin = options.yieldToHarness ? NICE_BIN : undefined;
  const [command, argv] = niceBin ? [niceBin, ['-n', String(EMBEDDED_TARGET_NICE), process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'], env });
  // without the nice command, the next best: the main thread, before node starts its others
  if (options.yieldToHarness && !niceBin) lowerPriority(child.pid);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString();
  });
  return new Promise((resolve, reject) => {
    const timeout = setTimeout(() => {
      child.kill('SIGKILL');
      reject(harnessError('the embedded simulator did not start within its timeout'));
    }, options.startTimeoutMs ?? 15_000);
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timeout);
      const m = /wss?:\/\/\S+/.exec(line);
      if (!m) {
        child.kill('SIGKILL');
        reject(harnessError(`the embedded simulator printed no URL: ${line}`));
        return;
      }
      const url = m[0];
      const u = new URL(url);
      resolve({
        url,
        pid: child.pid!,
        nice: niceGap(child.pid!),
        httpUrl: `http://${u.host}`,
        ticksSkipped: () => readTicksSkipped(`http://${u.host}/metrics`),
        stop: () => stopChild(child),
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timeout);
      reject(harnessError(`the embedded simulator exited (code ${code}) before it listened: ${stderr.trim().split('\n').pop() ?? ''}`));
    });
    child.once('error', (err) => {
      clearTimeout(timeout);
      reject(harnessError(`could not start the embedded simulator: ${err.message}`, err));
    });
  });
}

/** Sums livestream_sim_ticks_skipped_total over its types from the simulator's /metrics. */
export async function readTicksSkipped(metricsUrl: string): Promise<number | undefined> {
  try {
    const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(3000) });
    if (!res.ok) return undefined;
    const samples = parseExposition(await res.text()).get('livestream_sim_ticks_skipped_total') ?? [];
    return samples.reduce((sum, s) => sum + s.value, 0);
  } catch {
    return undefined;
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Best effort: a process may always lower its child's priority, but a sandbox can forbid it. */
function lowerPriority(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    setPriority(pid, Math.min(19, getPriority() + EMBEDDED_TARGET_NICE));
  } catch {
    // measured at equal priority then; the report says so (nice 0)
  }
}

/** How many nice steps a process runs below this one, as it is now (what the report states, not what was asked). */
function niceGap(pid: number): number {
  try {
    return getPriority(pid) - getPriority();
  } catch {
    return 0;
  }
}
