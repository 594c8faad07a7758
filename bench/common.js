// What the benches share: the simulator in a process of its own, and the
// steady window a harness side is measured over.
import { spawn } from 'node:child_process';
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
