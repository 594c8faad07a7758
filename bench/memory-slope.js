#!/usr/bin/env node
// False alarms and the smallest leak the server_memory judgement catches.
//
//   npm run build && node bench/memory-slope.js [rates MB/min=0,0.5,1,2,3] [reps=4] [seconds=60] [target=node|jvm-like]
//   (rate 0 runs LSB_BENCH_ZERO_REPS reps, 10 by default: the false alarms)
//
// For each rate and rep, a child process runs the simulator with 10
// all-channel clients and keeps that many MB per minute on purpose:
// - `node` (bench/leaky-target.js): the simulator as it is, whose V8 heap
//   grows and shrinks, plus the leak;
// - `jvm-like` (bench/jvm-like-target.js under --no-memory-reducer): RSS
//   that never falls, as a JVM's: a 48 MB pool filled like a committed heap
//   (fast, then slower, 95 % after 20 s) and kept, plus the leak.
// - `jvm` (bench/JvmTarget.java, compiled once into a temporary folder): a
//   real JVM (G1, -Xms64m -Xmx256m) allocating as a busy server does, no
//   stream; judged twice: its RSS from /proc, and its heap from the
//   Micrometer-named /metrics it serves (prometheusSource), as
//   `--metrics-url` would.
// After a 10 s warm-up (the run's ramp and settle), its RSS is sampled from
// /proc every second for `seconds` and judged exactly as a run judges it
// (judgeResources). Each rate prints how many reps failed, passed and were
// skipped (inconclusive, with the reason), and how many the old judgement
// (a least-squares line through every sample) would have failed. Rate 0
// shows the false alarms; a rate is "reliably caught" when every rep fails.
// All children run at once: the machine is shared, as in a real run.
import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pidSource } from '../dist/engine/pid-source.js';
import { prometheusSource } from '../dist/engine/prometheus-source.js';
import { ResourceSampler } from '../dist/engine/resource-sampler.js';
import { judgeMemory, judgeResources } from '../dist/verdict/resources.js';
import { DEFAULT_THRESHOLDS } from '../dist/verdict/thresholds.js';

const MB = 1024 * 1024;
const rates = (process.argv[2] ?? '0,0.5,1,2,3').split(',').map(Number);
const reps = Number(process.argv[3] ?? 4);
const seconds = Number(process.argv[4] ?? 60);
const kind = process.argv[5] ?? 'node';
const TARGETS = {
  node: { file: './leaky-target.js', flags: [] },
  'jvm-like': { file: './jvm-like-target.js', flags: ['--no-memory-reducer'] },
  jvm: { file: './JvmTarget.java', flags: [] },
};
if (!TARGETS[kind]) throw new Error(`target is node, jvm-like or jvm, not ${kind}`);
const TARGET = fileURLToPath(new URL(TARGETS[kind].file, import.meta.url));
let classes;
if (kind === 'jvm') {
  classes = mkdtempSync(join(tmpdir(), 'lsb-jvm-'));
  execFileSync('javac', ['-d', classes, TARGET]);
}
const WARMUP_MS = 10_000;
const CLIENTS = 10;
const CHANNELS = ['block_updates', 'network_status', 'validator_metrics'];
const BOUNDS = { slopeMBPerMin: DEFAULT_THRESHOLDS.memorySlopeMBPerMin, growthShare: DEFAULT_THRESHOLDS.memoryGrowthShare };

function startTarget(perMinute) {
  const child = kind === 'jvm'
    ? spawn('java', ['-Xms64m', '-Xmx256m', '-XX:+UseG1GC', '-cp', classes, 'JvmTarget', String(perMinute)], { stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn(process.execPath, [...TARGETS[kind].flags, TARGET, String(perMinute)], { stdio: ['ignore', 'pipe', 'inherit'] });
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
  const sockets = kind === 'jvm' ? [] : clients(target.url);
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const sampler = new ResourceSampler(pidSource(target.pid), 1000);
  const heapSampler = kind === 'jvm' ? new ResourceSampler(prometheusSource(target.url), 1000) : undefined;
  const start = Date.now();
  sampler.start();
  heapSampler?.start();
  await new Promise((r) => setTimeout(r, seconds * 1000 + 200));
  const series = sampler.stop();
  const heapSeries = heapSampler?.stop();
  for (const ws of sockets) ws.terminate();
  target.child.kill('SIGTERM');
  const end = start + seconds * 1000 + 200;
  const { server_memory } = judgeResources(series, start, end, DEFAULT_THRESHOLDS);
  const { trend, growth } = judgeMemory(series.points, start, end, BOUNDS);
  const oldFail = trend.slopeMBPerMin >= BOUNDS.slopeMBPerMin || trend.growthShare >= BOUNDS.growthShare;
  const r = { rate, status: server_memory.status, basis: growth.basis, judged: growth.slopeMBPerMin, lsq: trend.slopeMBPerMin, oldFail };
  if (heapSeries) {
    const heap = judgeResources(heapSeries, start, end, DEFAULT_THRESHOLDS).server_memory;
    const h = judgeMemory(heapSeries.points, start, end, BOUNDS);
    r.heap = { status: heap.status, figure: h?.figure, basis: h?.growth.basis, judged: h?.growth.slopeMBPerMin ?? NaN };
  }
  return r;
}

const zeroReps = Number(process.env.LSB_BENCH_ZERO_REPS ?? 10);
const jobs = rates.flatMap((rate) => Array.from({ length: rate === 0 ? zeroReps : reps }, () => rate));
process.stderr.write(`${jobs.length} ${kind} targets for ${seconds + WARMUP_MS / 1000} s each, all at once...\n`);
const results = await Promise.all(jobs.map(trial));
console.log(`target ${kind}, ${seconds} s window`);
console.log(`leak MB/min | fail | pass | skipped | old LSQ fail | each rep: status basis judged-slope (LSQ slope) MB/min`);
for (const rate of rates) {
  const rs = results.filter((r) => r.rate === rate);
  const n = (s) => `${rs.filter((r) => r.status === s).length}/${rs.length}`;
  const each = rs.map((r) => `${r.status} ${r.basis} ${r.judged.toFixed(2)} (${r.lsq.toFixed(2)})`).join('; ');
  console.log(`${String(rate).padStart(11)} | ${n('fail')} | ${n('pass')} | ${n('skipped')}    | ${rs.filter((r) => r.oldFail).length}/${rs.length}        | ${each}`);
}
const caught = (rate) => results.filter((r) => r.rate === rate).every((r) => r.status === 'fail');
const smallest = rates.filter((rate) => rate > 0 && rates.filter((x) => x >= rate).every(caught))[0];
if (kind === 'jvm') {
  console.log('heap from /metrics (as --metrics-url): leak MB/min | fail | pass | skipped | each rep: status figure basis judged-slope');
  for (const rate of rates) {
    const rs = results.filter((r) => r.rate === rate);
    const n = (s) => `${rs.filter((r) => r.heap.status === s).length}/${rs.length}`;
    console.log(`${String(rate).padStart(11)} | ${n('fail')} | ${n('pass')} | ${n('skipped')} | ${rs.map((r) => `${r.heap.status} ${r.heap.figure} ${r.heap.basis} ${r.heap.judged.toFixed(2)}`).join('; ')}`);
  }
}
console.log(`false alarms at 0: ${results.filter((r) => r.rate === 0 && r.status === 'fail').length}/${results.filter((r) => r.rate === 0).length}`);
console.log(smallest === undefined ? 'no rate caught in every rep' : `smallest rate caught in every rep (and every larger one): ${smallest} MB/min`);
console.log(JSON.stringify(results));
