// What the benches share: the simulator in a process of its own, and the
// steady window a harness side is measured over.
import { spawn, spawnSync } from 'node:child_process';
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
 * Measures a harness run over `ms` of its steady window, as the bare side
 * is measured: from a settle second after every one of `n` clients is open,
 * whole epoch seconds of the run's own series. CPU and RSS are this
 * process's (the run has one worker).
 */
export async function measureSteady(run, n, ms) {
  const rss0 = process.memoryUsage().rss;
  let c0;
  let cpu;
  let rss = 0;
  let fromSecond = 0;
  let toSecond = 0;
  let fromMs = 0;
  let settled = 0;
  run.on('tick', (p) => {
    const second = Math.floor(Date.now() / 1000);
    if (!c0) {
      if (p.open === n) settled += 1;
      if (settled >= 2) {
        c0 = process.cpuUsage();
        fromSecond = second;
        fromMs = p.elapsedMs;
      }
    } else if (!toSecond && p.elapsedMs >= fromMs + ms) {
      toSecond = second;
      cpu = process.cpuUsage(c0);
      rss = process.memoryUsage().rss;
    }
  });
  const result = await run.result;
  let msgs = 0;
  for (const pt of result.snapshot.series) {
    if (pt.t >= fromSecond && pt.t < toSecond) for (const v of Object.values(pt.messages)) msgs += v;
  }
  if (!cpu) throw new Error(`the harness never had all ${n} clients open`);
  return { msgs, cpuUs: cpu.user + cpu.system, sysUs: cpu.system, health: result.snapshot.health, rssPerConn: (rss - rss0) / n };
}

/**
 * Each side of a bare/harness pair runs in a fresh process of its own, so
 * neither inherits the other's heap: `node <bench> --side bare|harness <url>
 * <n> <seconds>`. In that child this runs the side and exits; in the parent
 * it does nothing.
 */
export async function runSideIfAsked(sides) {
  if (process.argv[2] !== '--side') return;
  const [, , , kind, url, n, secs] = process.argv;
  const r = await sides[kind](url, Number(n), Number(secs) * 1000);
  process.stdout.write(JSON.stringify(r));
  process.exit(0);
}

/**
 * Runs one side of `script` in a child with the V8 flags of the harness's
 * worker processes (a 64 MB young generation), so the ratio compares the
 * code, not the flags; returns what the side printed.
 */
export async function spawnSide(script, kind, url, n, seconds) {
  const { BUSY_PROCESS_EXEC_ARGV } = await import('../dist/v8-flags.js');
  const r = spawnSync(process.execPath, [...BUSY_PROCESS_EXEC_ARGV, fileURLToPath(script), '--side', kind, url, String(n), String(seconds)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${kind} side failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
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
 * `repeats` bare/harness pairs at `n` clients, alternating sides, each pair's
 * ratio of CPU per message; returns every pair, lowest ratio first, and the
 * pair with the median ratio (a shared 2-core machine swings single pairs).
 */
export async function medianPair(side, url, n, repeats) {
  const pairs = [];
  for (let r = 0; r < repeats; r += 1) {
    const b = await side('bare', url, n);
    const h = await side('harness', url, n);
    pairs.push({ b, h, ratio: h.cpuUs / h.msgs / (b.cpuUs / b.msgs) });
  }
  pairs.sort((x, y) => x.ratio - y.ratio);
  return { pairs, ...pairs[Math.floor((pairs.length - 1) / 2)] };
}
