#!/usr/bin/env node
// What watching a run costs: harness CPU per received message with the
// dashboard (and one viewer) and all three exports on, against the same run
// without them, same machine, same simulator, same client count.
//
//   node bench/live-cost.js [clients=5000] [seconds=20] [repeats=3] [warmup=30]
//
// Target (issue 15): within 1.05x. Each side runs in a fresh process of its
// own through the library API, and both end as a run does, by building the
// report. Its CPU is the whole harness's, worker processes included, read
// two ways:
// - steady (the target's figure): over one window of `seconds` whole
//   seconds of wall time, the same on both sides, `warmup` seconds after
//   every client is open (the warm-up's own figures are given apart), this
//   process and its workers (/proc/<pid>/stat of each), divided
//   by the messages of those seconds; per message, as bench/harness.js
//   measures (a window of each side's own, one second off the other's,
//   held a second's burst more or less: the stream's channels tick at 1, 2
//   and 5 s, so that alone moved a pair by 5-8 %);
// - whole run: /proc/self/stat utime + stime + cutime + cstime once the
//   workers have exited, divided by the frames the report counts. This also
//   holds what a run pays once (loading the export libraries, the final
//   pushes), which a short run spreads over few messages.
// The two sides of a pair run at once, against the same simulator, over the
// same seconds (as bench/harness.js since its session 7: run one after the
// other, pairs of the same code read 0.78 to 1.23), so what else the shared
// machine does then weighs on both; the pair with the median ratio is
// shown beside every pair's ratio. The dashboard's one viewer reads from
// this process, not the side's: a viewer is a browser elsewhere, and its
// reading is not the harness's cost. The per-second intervals the client
// processes send with their tick are always on (the progress line reads
// them too): both sides pay for them, so the ratio is the cost of the live
// view, its judging, the dashboard and the exports.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver } from 'node:perf_hooks';
import { startSimulator, threadCpuSeconds, treeCpuSeconds, until } from './common.js';

/**
 * `liveMs` in the output: CPU ms over the on side's steady window of the
 * live view's tick and judgements, of each sink's second (by class), and
 * of the live book's reads and parts (`book.*`), with call counts; the
 * place to look when the main process's share grows.
 *
 * LSB_PROFILE=<dir>: a CPU profile of each side's main process over its
 * steady window, written there as <kind>-<pid>.cpuprofile (for finding
 * where the live view's cost goes; it adds the profiler's own cost).
 */
const profileDir = process.env.LSB_PROFILE;
/**
 * `mainGcMsPerSAndCount` in the output: the main process's GC pauses in the
 * window, ms a second and how many. LSB_GC=1 lists each on stderr (kind 1
 * scavenge, 4 mark-compact, 8 incremental marking). LSB_NODE_FLAGS="..."
 * runs each side's process with these node/V8 flags (not its workers'):
 * `--no-memory-reducer` showed where the main process's extra GC comes from.
 */
/** LSB_HEAP=<dir>: a sampling heap profile of each side's main process over its window, as <kind>-<pid>.heapprofile (what it allocates). */
const heapDir = process.env.LSB_HEAP;
/**
 * LSB_BREAKDOWN=1: time the live view's parts (`liveMs`). Off by default:
 * its wrappers read the process's CPU twice a call, a cost only the on side
 * pays (about 1 ms a second at 5,000 clients).
 * LSB_SINKS=dashboard,prometheus-rw,otlp,ndjson (the default, all): which
 * the on side has, to find what one sink costs.
 */
const breakdown = process.env.LSB_BREAKDOWN === '1';
const sinks = (process.env.LSB_SINKS ?? 'dashboard,prometheus-rw,otlp,ndjson').split(',').filter(Boolean);


/** CPU seconds of this process and of its children that have exited. */
function cpuSeconds() {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // fields[0] is field 3 (state): utime is field 14, cstime field 17
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
}

async function oneSide(kind, url, n, t0, ms, sink, dir, warmMs) {
  const { startRun, defaultSettings } = await import('../dist/index.js');
  const rampMs = 2000;
  // the steady phase covers the window and a second after it
  const durationMs = t0 + ms + 1000 - Date.now() - rampMs;
  const settings = defaultSettings({ target: url, clients: n, minClients: Math.min(n, 10), rampMs, durationMs, chaos: undefined, probes: false });
  const c0 = cpuSeconds();
  const liveCpu = {};
  const steady = { from: 0, to: 0, c0: 0, c1: 0, m0: 0, m1: 0, gcMs: 0, gcs: 0, slices: [] };
  const sliceMs = Number(process.env.LSB_SLICES ?? 0) * 1000;
  // the main process's garbage collections in the window (its pauses; the helper threads' share is beside them)
  new PerformanceObserver((list) => {
    if (!steady.from || steady.to) return;
    for (const e of list.getEntries()) {
      steady.gcMs += e.duration;
      steady.gcs += 1;
      if (process.env.LSB_GC) process.stderr.write(`${kind} gc kind ${e.detail?.kind} ${e.duration.toFixed(1)} ms heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB\n`);
    }
  }).observe({ entryTypes: ['gc'] });
  let live;
  if (kind === 'on') {
    const { startLive } = await import('../dist/live/start.js');
    const exports = [
      { kind: 'prometheus-rw', to: `${sink}/api/v1/write` },
      { kind: 'otlp', to: `${sink}/v1/metrics` },
      { kind: 'ndjson', to: join(dir, `live-${process.pid}.ndjson`) },
    ].filter((e) => sinks.includes(e.kind));
    live = await startLive(settings, {
      ...(sinks.includes('dashboard') ? { dashboard: { host: '127.0.0.1', port: 0 } } : {}),
      exports,
      problem: (line) => process.stderr.write(`${line}\n`),
    });
    // where the on side's main process spends it: the live view's tick and its judgements, timed in the steady window
    const view = live.view;
    for (const name of ['onTick', 'judge']) timed(view, name, name);
    // and each sink's second and judgement (dashboard, exports), by its class
    for (const sink of view.sinks) for (const m of ['second', 'judged']) timed(sink, m, `${sink.constructor.name}.${m}`);
    // one viewer, in the bench's own process, reads the event stream for the whole run
    if (live.url) process.send?.({ dashboard: live.url });
  }
  /** CPU ms of `obj[name]`'s calls in the steady window, under `label` (and its call count). */
  function timed(obj, name, label) {
    // private methods (the book's make, fold...) may be renamed: then not timed
    if (!breakdown || typeof obj[name] !== 'function') return;
    const f = obj[name].bind(obj);
    obj[name] = (...args) => {
      const t = process.cpuUsage();
      const out = f(...args);
      if (steady.from && !steady.to) {
        const d = process.cpuUsage(t);
        liveCpu[label] = (liveCpu[label] ?? 0) + (d.user + d.system) / 1000;
        liveCpu[`${label}Calls`] = (liveCpu[`${label}Calls`] ?? 0) + 1;
      }
      return out;
    };
  }
  const run = startRun(settings);
  live?.view.attach(run);
  // the book's reads the frame makes each second, and its parts: the snapshot's make and histogram merge, the latency fold and summary
  if (live) run.once('live', (tick) => ['latencySummary', 'counters', 'snapshot', 'takeFresh', 'make', 'mergeHistograms', 'fold', 'ownLatencySummary'].forEach((m) => timed(tick.book, m, `book.${m}`)));
  // the window [t0, t0 + ms), the same whole seconds on both sides: CPU read at its ends, messages of its seconds
  const session = profileDir || heapDir ? new Session() : undefined;
  session?.connect();
  let open = 0;
  run.on('live', (tick) => {
    open = tick.progress.open;
  });
  const warm = { from: (t0 - warmMs) / 1000, tree: 0, main: 0 };
  const window = until(t0 - warmMs).then(async () => {
    if (open !== n) throw new Error(`the ${kind} side had ${open} of ${n} clients open at the warm-up's start`);
    Object.assign(warm, { tree: treeCpuSeconds(), main: cpuSeconds() });
    await until(t0);
    Object.assign(steady, { from: t0 / 1000, c0: treeCpuSeconds(), m0: cpuSeconds(), t0: threadCpuSeconds(), u0: process.cpuUsage() });
    if (heapDir) void session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    if (profileDir) void session.post('Profiler.enable').then(() => session.post('Profiler.setSamplingInterval', { interval: Number(process.env.LSB_PROFILE_US ?? 1000) })).then(() => session.post('Profiler.start'));
    // LSB_SLICES=<s>: the CPU at each slice of the window too, to see how the extra moves through it
    for (let at = t0 + sliceMs; sliceMs > 0 && at < t0 + ms; at += sliceMs) {
      await until(at);
      steady.slices.push({ at: at / 1000, tree: treeCpuSeconds(), main: cpuSeconds() });
    }
    await until(t0 + ms);
    Object.assign(steady, { to: (t0 + ms) / 1000, c1: treeCpuSeconds(), m1: cpuSeconds(), t1: threadCpuSeconds(), u1: process.cpuUsage() });
    if (heapDir) void session.post('HeapProfiler.stopSampling').then(({ profile }) => writeFileSync(join(heapDir, `${kind}-${process.pid}.heapprofile`), JSON.stringify(profile)));
    if (profileDir) void session.post('Profiler.stop').then(({ profile }) => writeFileSync(join(profileDir, `${kind}-${process.pid}.cpuprofile`), JSON.stringify(profile)));
  });
  await window;
  const result = await run.result;
  // every run builds its report, with or without a live view
  const { buildReport } = await import('../dist/verdict/report.js');
  const report = buildReport(result);
  if (live) {
    await live.view.finish(report);
    await live.view.close();
  }
  // the workers have exited and been waited for: cutime holds them
  await new Promise((r) => setTimeout(r, 200));
  const cpu = cpuSeconds() - c0;
  const frames = result.snapshot.counters.frames ?? 0;
  let steadyMessages = 0;
  for (const p of result.snapshot.series) if (p.t >= steady.from && p.t < steady.to) for (const v of Object.values(p.messages)) steadyMessages += v;
  // each slice's CPU (tree and main) and messages, the window's ends included
  const marks = [{ at: steady.from, tree: steady.c0, main: steady.m0 }, ...steady.slices, { at: steady.to, tree: steady.c1, main: steady.m1 }];
  const between = (a, b) => {
    let messages = 0;
    for (const p of result.snapshot.series) if (p.t >= a.at && p.t < b.at) for (const v of Object.values(p.messages)) messages += v;
    return { seconds: b.at - a.at, tree: b.tree - a.tree, main: b.main - a.main, messages };
  };
  const warmup = between({ at: warm.from, tree: warm.tree, main: warm.main }, marks[0]);
  const slices = marks.slice(1).map((m, i) => between(marks[i], m));
  return { warmup, slices, frames, cpu, steadyMessages, gc: [+(steady.gcMs / (steady.to - steady.from)).toFixed(2), steady.gcs], steadyCpu: steady.c1 - steady.c0, steadyMainCpu: steady.m1 - steady.m0, mainUserSys: steady.u1 ? [(steady.u1.user - steady.u0.user) / 1000, (steady.u1.system - steady.u0.system) / 1000] : undefined, steadySeconds: steady.to - steady.from, workers: result.workers, saturated: result.snapshot.health?.saturated ?? false, liveCpu, threads: Object.fromEntries(Object.entries(steady.t1 ?? {}).map(([k, v]) => [k, +(((v - (steady.t0?.[k] ?? 0)) * 1000) / (steady.to - steady.from)).toFixed(1)])) };
}

if (process.argv[2] === '--side') {
  const [, , , kind, url, n, t0, ms, sink, dir, warmMs] = process.argv;
  const r = await oneSide(kind, url, Number(n), Number(t0), Number(ms), sink, dir, Number(warmMs));
  process.stdout.write(JSON.stringify(r));
  process.exit(0);
}

const clients = Number(process.argv[2] ?? 5000);
const seconds = Number(process.argv[3] ?? 20);
const repeats = Math.max(1, Number(process.argv[4] ?? 3));
/**
 * Seconds between every client being open and the window: a side's process
 * is a minute old then, and its first half-minute after the ramp holds what
 * it pays once (V8's memory reducer collecting the start's garbage, about
 * 30 s after a process starts, at a cost that grows with the heap; the
 * live view's code compiled as it warms up). Measured apart (`warmup` in
 * the output) rather than in the window: the window is the steady cost a
 * soak pays every second. 0 measures from the ramp's end, as before.
 */
const warmup = Math.max(0, Number(process.argv[5] ?? 30));


// Remote write and OTLP land here and are dropped: a backend's own cost is not the harness's.
let received = 0;
const sinkServer = createServer((req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    received += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
// A kept-alive connection stays open as long as a real backend keeps it: Prometheus closes an idle
// one after its --web.read-timeout (5 min by default). Node's default of 5 s would make each OTLP
// export (every 10 s) open a new connection here, a cost of this sink, not of a real backend.
sinkServer.keepAliveTimeout = 60_000;
await new Promise((r) => sinkServer.listen(0, '127.0.0.1', r));
const sink = `http://127.0.0.1:${sinkServer.address().port}`;
const dir = mkdtempSync(join(tmpdir(), 'lsb-live-cost-'));

/** A side's JSON is its stdout's last line; lines before it (`LSB_NODE_FLAGS=--trace-gc`) go to stderr, marked with the side. */
function lastJson(kind, out) {
  const lines = out.trim().split('\n');
  for (const l of lines.slice(0, -1)) process.stderr.write(`${kind} ${l}\n`);
  return JSON.parse(lines[lines.length - 1]);
}

function side(kind, url, t0) {
  // async spawn: the sink server above must answer while a side runs
  return new Promise((resolve, reject) => {
    const flags = (process.env.LSB_NODE_FLAGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...flags, fileURLToPath(import.meta.url), '--side', kind, url, String(clients), String(t0), String(seconds * 1000), sink, dir, String(warmup * 1000)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('message', (m) => {
      if (m?.dashboard) get(`${m.dashboard}events`, (res) => res.resume()).on('error', () => undefined);
    });
    child.on('exit', (code) => (code === 0 ? resolve(lastJson(kind, out)) : reject(new Error(`${kind} side exited ${code}`))));
  });
}

const sim = await startSimulator();
try {
  const pairs = [];
  for (let r = 0; r < repeats; r += 1) {
    // time for both sides to start, spawn their workers and open every client
    const t0 = Math.ceil((Date.now() + 4000 + 2 * clients + warmup * 1000) / 1000) * 1000;
    // which side starts first alternates: the first's clients open a little earlier and sit earlier in
    // the simulator's lists, and a fixed order would give one side that place in every pair
    const onFirst = r % 2 === 1;
    const [off, on] = onFirst ? await Promise.all([side('on', sim.url, t0), side('off', sim.url, t0)]).then(([a, b]) => [b, a]) : await Promise.all([side('off', sim.url, t0), side('on', sim.url, t0)]);
    pairs.push({ onFirst, off, on, ratio: on.steadyCpu / on.steadyMessages / (off.steadyCpu / off.steadyMessages), wholeRatio: on.cpu / on.frames / (off.cpu / off.frames) });
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  pairs.sort((x, y) => x.ratio - y.ratio);
  const { off, on, ratio } = pairs[Math.floor((pairs.length - 1) / 2)];
  const per = (cpu, msgs) => +((cpu * 1e6) / msgs).toFixed(2);
  const figures = (s) => ({ steadySeconds: s.steadySeconds, mainGcMsPerSAndCount: s.gc, steadyMessages: s.steadyMessages, steadyCpuS: +s.steadyCpu.toFixed(2), cpuUsPerMessage: per(s.steadyCpu, s.steadyMessages), mainCpuMsPerS: +((s.steadyMainCpu * 1000) / s.steadySeconds).toFixed(1), workersCpuMsPerS: +(((s.steadyCpu - s.steadyMainCpu) * 1000) / s.steadySeconds).toFixed(1), wholeRunCpuS: +s.cpu.toFixed(2), wholeRunCpuUsPerMessage: per(s.cpu, s.frames), saturated: s.saturated, mainThreadsMsPerS: s.threads, mainUserSysMsPerS: s.mainUserSys?.map((v) => +(v / s.steadySeconds).toFixed(1)), liveMs: Object.fromEntries(Object.entries(s.liveCpu ?? {}).map(([k, v]) => [k, +v.toFixed(1)])) });
  console.log(JSON.stringify({
    clients,
    seconds,
    workers: on.workers,
    off: figures(off),
    on: figures(on),
    cpuRatio: +ratio.toFixed(3),
    cpuRatios: pairs.map((p) => +p.ratio.toFixed(3)),
    wholeRunRatioMedian: +median(pairs.map((p) => p.wholeRatio)).toFixed(3),
    // The live view runs in the main process only; the client processes do the same work on both sides.
    // So its cost is also the main process's extra CPU per message over the off side's whole: a figure
    // free of the client processes' noise (a pair's clients alone swing ±10 %), the median over pairs.
    mainExtraMsPerS: pairs.map((p) => +(((p.on.steadyMainCpu / p.on.steadySeconds) - (p.off.steadyMainCpu / p.off.steadySeconds)) * 1000).toFixed(1)),
    // the same for the client processes, which do the same work on both sides: how far apart the noise sets them
    onFirst: pairs.map((p) => p.onFirst),
    workersExtraMsPerS: pairs.map((p) => +((((p.on.steadyCpu - p.on.steadyMainCpu) / p.on.steadySeconds) - ((p.off.steadyCpu - p.off.steadyMainCpu) / p.off.steadySeconds)) * 1000).toFixed(1)),
    mainAttributedRatio: +median(pairs.map((p) => 1 + (p.on.steadyMainCpu / p.on.steadyMessages - p.off.steadyMainCpu / p.off.steadyMessages) / (p.off.steadyCpu / p.off.steadyMessages))).toFixed(3),
    wholeRunRatios: pairs.map((p) => +p.wholeRatio.toFixed(3)),
    // LSB_SLICES: per slice of the window, each pair's ratio and main extra (ms/s), to tell a one-time cost from a steady one
    ...(process.env.LSB_SLICES ? { slices: pairs.map((p) => p.on.slices.map((on, i) => { const off = p.off.slices[i]; return [+((on.tree / on.messages) / (off.tree / off.messages)).toFixed(3), +(((on.main - off.main) * 1000) / on.seconds).toFixed(1)]; })) } : {}),
    warmup: { seconds: warmup, cpuRatios: pairs.map((p) => +((p.on.warmup.tree / p.on.warmup.messages) / (p.off.warmup.tree / p.off.warmup.messages)).toFixed(3)), mainExtraMsPerS: pairs.map((p) => +(((p.on.warmup.main - p.off.warmup.main) * 1000) / Math.max(1, p.on.warmup.seconds)).toFixed(1)) },
    target: 1.05,
    sinks,
    pushesReceived: received,
  }));
} finally {
  await sim.stop();
  sinkServer.close();
  rmSync(dir, { recursive: true, force: true });
}
