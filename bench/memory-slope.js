#!/usr/bin/env node
// The smallest memory leak the server_memory judgement flags reliably in a
// 60 s steady phase.
//
//   npm run build && node bench/memory-slope.js [rates MB/min=0,0.5,0.75,1,1.25,1.5,2,3] [reps=4] [seconds=60]
//
// For each rate and rep, a child process (bench/leaky-target.js) runs the
// simulator with 10 all-channel clients and retains that many MB per minute.
// After a 10 s warm-up (the run's ramp and settle), its RSS is sampled from
// /proc every second for `seconds` and judged exactly as a run judges it
// (judgeResources: slope < 1 MB/min and growth < 10 %). A rate is "reliably
// flagged" when every rep fails server_memory; rate 0 shows the false alarms.
// All children run at once: the machine is shared, as in a real run.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { pidSource } from '../dist/engine/pid-source.js';
import { ResourceSampler } from '../dist/engine/resource-sampler.js';
import { judgeResources, memoryTrend } from '../dist/verdict/resources.js';
import { DEFAULT_THRESHOLDS } from '../dist/verdict/thresholds.js';

const TARGET = fileURLToPath(new URL('./leaky-target.js', import.meta.url));
const MB = 1024 * 1024;
const rates = (process.argv[2] ?? '0,0.5,0.75,1,1.25,1.5,2,3').split(',').map(Number);
const reps = Number(process.argv[3] ?? 4);
const seconds = Number(process.argv[4] ?? 60);
const WARMUP_MS = 10_000;
const CLIENTS = 10;
const CHANNELS = ['block_updates', 'network_status', 'validator_metrics'];

function startTarget(perMinute) {
  const child = spawn(process.execPath, [TARGET, String(perMinute)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (url) => resolve({ url, pid: child.pid, child }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`target exited ${code}`)));
  });
}

function clients(url) {
  return Array.from({ length: CLIENTS }, () => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on('open', () => CHANNELS.forEach((channel) => ws.send(JSON.stringify({ type: 'subscribe', channel }))));
    ws.on('message', (d) => JSON.parse(d.toString()));
    ws.on('error', () => {});
    return ws;
  });
}

async function trial(rate) {
  const target = await startTarget(rate * MB);
  const sockets = clients(target.url);
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const sampler = new ResourceSampler(pidSource(target.pid), 1000);
  const start = Date.now();
  sampler.start();
  await new Promise((r) => setTimeout(r, seconds * 1000 + 200));
  const series = sampler.stop();
  for (const ws of sockets) ws.terminate();
  target.child.kill('SIGTERM');
  const end = start + seconds * 1000 + 200;
  const { server_memory } = judgeResources(series, start, end, DEFAULT_THRESHOLDS);
  const trend = memoryTrend(series.points, start, end);
  return { rate, flagged: server_memory.status === 'fail', slope: trend?.slopeMBPerMin ?? NaN, stderr: trend?.slopeStdErrMBPerMin ?? NaN };
}

const jobs = rates.flatMap((rate) => Array.from({ length: reps }, () => rate));
process.stderr.write(`${jobs.length} targets for ${seconds + WARMUP_MS / 1000} s each, all at once...\n`);
const results = await Promise.all(jobs.map(trial));
console.log(`leak MB/min | flagged | measured slopes MB/min (± std err)`);
for (const rate of rates) {
  const rs = results.filter((r) => r.rate === rate);
  const flagged = rs.filter((r) => r.flagged).length;
  const slopes = rs.map((r) => `${r.slope.toFixed(2)}±${r.stderr.toFixed(2)}`).join(' ');
  console.log(`${String(rate).padStart(11)} | ${flagged}/${rs.length}     | ${slopes}`);
}
const reliable = rates.filter((rate) => results.filter((r) => r.rate === rate).every((r) => r.flagged));
const smallest = rates.filter((rate) => rate > 0 && rates.filter((x) => x >= rate).every((x) => reliable.includes(x)))[0];
console.log(smallest === undefined ? 'no rate flagged reliably' : `smallest rate flagged in every rep (and every larger one): ${smallest} MB/min`);
