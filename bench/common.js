// What the benches share: the simulator in a process of its own, and the
// steady window a harness side is measured over.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../bin/livestream-bench.js', import.meta.url));

/** `serve --port 0` with the given extra arguments; resolves with its stream URL once it prints it. */
export function startSimulator(args = []) {
  const child = spawn(process.execPath, [BIN, 'serve', ...args, '--port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => {
      const url = /wss?:\/\/\S+/.exec(line)?.[0];
      if (!url) reject(new Error(`no URL in ${line}`));
      else resolve({ url, stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }) });
    });
    child.once('error', reject);
  });
}

/**
 * The pairs' method. Both sides of a pair run at once, in processes of
 * their own, against the same simulator, and measure the same window of
 * wall time: the same broadcast ticks reach both, and whatever else the
 * shared machine does in those seconds weighs on both. Run one after the
 * other, single pairs of the same code read 1.03x to 1.75x at 5,000
 * clients in one invocation; at once, 1.03x to 1.16x (bench/README.md).
 * The window is whole epoch seconds from `windowStart`, so a harness side
 * counts its messages from its own per-second series.
 */
export function windowStart(n) {
  // time for both sides to start and open every client (the harness probes the clock first)
  // 2 ms a client: on a slow day 5,000 a side (10,000 at the simulator at once) took over 10 s
  return Math.ceil((Date.now() + 6000 + 2 * n) / 1000) * 1000;
}

/** Resolves at epoch ms `t`. */
export function until(t) {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, t - Date.now())));
}

/**
 * This process's CPU (user + system, µs) over [t0, t0 + ms), what `count`
 * counted in it (a bare side's messages), and the RSS at its end.
 */
export async function windowCpu(t0, ms, count = () => 0) {
  if (Date.now() > t0) throw new Error('the side was not ready by the start of the window');
  await until(t0);
  const c0 = process.cpuUsage();
  const n0 = count();
  await until(t0 + ms);
  const cpu = process.cpuUsage(c0);
  return { cpuUs: cpu.user + cpu.system, sysUs: cpu.system, counted: count() - n0, rss: process.memoryUsage().rss };
}

/**
 * Measures a harness run over the window [t0, t0 + ms), as the bare side is
 * measured: CPU and RSS of this process (the run has one worker), the
 * messages of the run's own series in those seconds.
 */
export async function measureSteady(run, n, t0, ms) {
  const rss0 = process.memoryUsage().rss;
  let open = 0;
  run.on('tick', (p) => {
    open = p.open;
  });
  // the last tick before the window tells whether every client is open
  const window = until(t0 - 500).then(() => {
    if (open !== n) throw new Error(`the harness had ${open} of ${n} clients open before the window`);
    return windowCpu(t0, ms);
  });
  const [result, w] = await Promise.all([run.result, window]);
  let msgs = 0;
  for (const pt of result.snapshot.series) {
    if (pt.t >= t0 / 1000 && pt.t < (t0 + ms) / 1000) for (const v of Object.values(pt.messages)) msgs += v;
  }
  return { msgs, cpuUs: w.cpuUs, sysUs: w.sysUs, health: result.snapshot.health, rssPerConn: (w.rss - rss0) / n };
}

/**
 * The harness side of a pair: every check on, through the library API, one
 * process, no probes or chaos, its clients open through the window
 * [t0, t0 + ms) and a little after.
 */
export async function harnessSide(url, n, t0, ms, settings = {}) {
  const { startRun, defaultSettings } = await import('../dist/index.js');
  const run = startRun(defaultSettings({ ...settings, target: url, clients: n, rampMs: 0, durationMs: t0 + ms + 3000 - Date.now(), chaos: undefined, probes: false, workers: 1 }));
  return measureSteady(run, n, t0, ms);
}

/**
 * Each side of a pair runs in a fresh process of its own, so neither
 * inherits the other's heap: `node <bench> --side bare|harness <url> <n>
 * <t0> <seconds>`. In that child this runs the side and exits; in the
 * parent it does nothing.
 */
export async function runSideIfAsked(sides) {
  if (process.argv[2] !== '--side') return;
  const [, , , kind, url, n, t0, secs] = process.argv;
  const r = await sides[kind](url, Number(n), Number(t0), Number(secs) * 1000);
  process.stdout.write(JSON.stringify(r));
  process.exit(0);
}

/**
 * Runs one side of `script` in a child with the V8 flags of the harness's
 * worker processes (a 64 MB young generation), so the ratio compares the
 * code, not the flags; resolves with what the side printed.
 */
export async function spawnSide(script, kind, url, n, t0, seconds) {
  const { BUSY_PROCESS_EXEC_ARGV } = await import('../dist/v8-flags.js');
  const child = spawn(process.execPath, [...BUSY_PROCESS_EXEC_ARGV, fileURLToPath(script), '--side', kind, url, String(n), String(t0), String(seconds)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${kind} side failed: ${err}`))));
  });
}

/** utime + stime of one process (every thread), in seconds; 0 once it is gone. USER_HZ is 100 on Linux. */
function procCpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** CPU seconds of each thread of a process, summed by thread name (the main thread is `node`, V8's helpers `V8 DefaultWorke`, libuv's pool `libuv-worker`). */
export function threadCpuSeconds(pid = process.pid) {
  const out = {};
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Node 20 names every thread "node": the main (JS) thread is the one whose id is the process's
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const name = comm === 'node' ? (Number(tid) === pid ? 'main' : 'helpers') : comm;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[name] = (out[name] ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // the thread ended
    }
  }
  return out;
}

function childrenOf(pid) {
  const out = [];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      out.push(...readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
    } catch {
      // the thread ended
    }
  }
  return out;
}

/** CPU seconds of this process and every live process below it (a run's worker processes), now. */
export function treeCpuSeconds(pid = process.pid) {
  return procCpuSeconds(pid) + childrenOf(pid).reduce((sum, c) => sum + treeCpuSeconds(c), 0);
}

/**
 * `repeats` bare/harness pairs at `n` clients, the two sides of each at
 * once over one window (see windowStart); returns every pair, lowest ratio
 * first, and the pair with the median ratio.
 */
export async function medianPair(side, url, n, repeats) {
  const pairs = [];
  for (let r = 0; r < repeats; r += 1) {
    const t0 = windowStart(n);
    const [b, h] = await Promise.all([side('bare', url, n, t0), side('harness', url, n, t0)]);
    pairs.push({ b, h, ratio: h.cpuUs / h.msgs / (b.cpuUs / b.msgs) });
  }
  pairs.sort((x, y) => x.ratio - y.ratio);
  return { pairs, ...pairs[Math.floor((pairs.length - 1) / 2)] };
}
