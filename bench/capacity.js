#!/usr/bin/env node
// The largest client count held with zero loss and the harness not
// saturated, on this machine: full runs of the real bin (embedded simulator
// in its own process, default workers and address spread), stepping the
// client count up until a step fails.
//
//   node bench/capacity.js [counts=1000,2000,5000,10000,20000] [seconds=15] [extra flags...]
//   node bench/capacity.js 20000,50000 20 --check-sample 0.05
//
// Each step prints one JSON line; the last line names the largest count held.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/livestream-bench.js', import.meta.url));
const counts = (process.argv[2] ?? '1000,2000,5000,10000,20000').split(',').map(Number);
const seconds = Number(process.argv[3] ?? 15);
const extra = process.argv.slice(4);

function run(n) {
  const out = mkdtempSync(join(tmpdir(), 'lsb-capacity-'));
  // about 400 connects a second: on 2 cores the harness and the simulator
  // share the machine, and faster ramps queue the upgrades for seconds
  const ramp = Math.max(5, Math.ceil(n / 400));
  const args = [BIN, '--clients', String(n), '--duration', `${seconds}s`, '--ramp', `${ramp}s`, '--no-probes', '--chaos', 'off', '--format', 'json', '--out', out, ...extra];
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      let r;
      try {
        r = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
      } catch {
        resolve({ clients: n, code, error: stderr.trim().split('\n').pop() });
        return;
      }
      const lost = r.metrics.channels.reduce((a, c) => a + c.lost, 0);
      const expected = r.metrics.channels.reduce((a, c) => a + c.expected, 0);
      resolve({
        clients: n,
        code,
        wallS: Math.round((Date.now() - started) / 1000),
        workers: r.settings.workers,
        addresses: r.settings.addresses,
        connected: r.metrics.clients.connectedFirstTry,
        held: r.metrics.clients.held,
        frames: r.metrics.frames,
        expected,
        lost,
        latencyP99Ms: Math.round(r.metrics.latencyMs.p99),
        harness: { eventLoopP99Ms: Math.round(r.harness.eventLoopP99Ms), cpuShare: +r.harness.cpuShare.toFixed(2), saturated: r.harness.saturated },
        verdict: r.verdict,
        failed: r.criteria.filter((c) => c.status === 'fail').map((c) => c.id),
      });
    });
  });
}

let best = 0;
for (const n of counts) {
  const r = await run(n);
  console.log(JSON.stringify(r));
  const held = r.held === n && r.lost === 0 && r.harness && !r.harness.saturated;
  if (!held) break;
  best = n;
}
console.log(JSON.stringify({ largestHeldWithZeroLoss: best, seconds, extra }));
