#!/usr/bin/env node
// The simulator's broadcast against a naive ws broadcast server, same script,
// same machine, same clients.
//
//   npm run build && node bench/simulator.js [clients=2000] [seconds=20]
//   LSB_BENCH_CLIENTS=19000 LSB_BENCH_SECONDS=30 node bench/simulator.js
//   LSB_BENCH_KINDS=simulator,workers LSB_BENCH_WORKERS=2 node bench/simulator.js 4000 15
//
// Kinds: `simulator` (one process), `workers` (startSimulator({ workers:
// LSB_BENCH_WORKERS, default 2 }): CPU and RSS summed over the primary and
// its worker processes, read from /proc), `naive`, `floor` (below).
//
// Each server runs alone in a child process. N all-channel clients are
// spread over child processes (at most PER_PROCESS each: the open-file limit
// is 20,000 per process) and over loopback source addresses 127.0.<run>.<k>
// (one source address reaches ~28,000 ports to one destination, and the
// second run must not meet the first run's TIME_WAIT ports). Once every
// client is connected and a settle period has passed, a steady window
// measures, in the server process:
//   - CPU (user + system) per message the clients received;
//   - resident memory per connection (RSS at steady minus RSS before any client);
//   - tick send lag: the end of a tick's write loop minus its scheduled
//     instant, p50 / p99 / max over the window's ticks.
// Client processes run at nice 19: on a two-core box they would otherwise
// preempt the server mid-burst, which clients on other machines never do.
// Both servers tick on the same wall-clock instants (every channel is due
// on whole seconds), so they face the same bursts. Ratios are printed last:
// machines here are shared and noisy; ratios are steadier than absolutes.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { setPriority } from 'node:os';
import WebSocket, { Sender, WebSocketServer } from 'ws';

const PER_PROCESS = 5000;
const CONNECT_CONCURRENCY = 200; // in-flight handshakes per client process (listen backlog is 511)
const SETTLE_MS = 3000;
const rnd = (lo, hi) => lo + Math.floor(Math.random() * (hi - lo + 1));
// The naive server sends payloads of the same shape and size as the simulator's.
const CHANNELS = [
  { channel: 'tps_updates', type: 'tps_update', intervalMs: 1000, auto: true,
    payload: () => ({ currentTPS: rnd(776000, 826000), peakTPS: 825572, averageTPS: rnd(800000, 801000), latency: rnd(40, 60) }) },
  { channel: 'block_updates', type: 'block_update', intervalMs: 2000,
    payload: () => ({ blockHeight: rnd(45e6, 46e6), blockTime: rnd(1900, 2100), transactions: rnd(1.5e6, 1.7e6), producer: `validator-0${rnd(10, 99)}` }) },
  { channel: 'network_status', type: 'network_update', intervalMs: 3000,
    payload: () => ({ activeNodes: rnd(120, 127), totalNodes: 127, networkHealth: 'healthy', avgLatency: rnd(40, 60) }) },
  { channel: 'validator_metrics', type: 'validator_update', intervalMs: 5000,
    payload: () => ({ totalValidators: 121, activeValidators: rnd(114, 121), inactiveValidators: rnd(0, 4), jailedValidators: rnd(0, 2) }) },
];

const FRAME = { fin: true, opcode: 1, mask: false, readOnly: true, rsv1: false };

const role = process.env.LSB_BENCH_ROLE;
if (role === 'server') await serverRole(process.env.LSB_BENCH_KIND);
else if (role === 'clients') await clientsRole();
else await main();

// ---------------------------------------------------------------- parent

async function main() {
  const clients = Number(process.argv[2] ?? process.env.LSB_BENCH_CLIENTS ?? 2000);
  const seconds = Number(process.argv[3] ?? process.env.LSB_BENCH_SECONDS ?? 20);
  const kinds = (process.env.LSB_BENCH_KINDS ?? 'simulator,naive,floor').split(',');
  const log = (s) => process.stderr.write(`${s}\n`);
  log(`bench: ${clients} all-channel clients, ${seconds} s steady window, servers: ${kinds.join(', ')}`);
  const results = {};
  for (const [run, kind] of kinds.entries()) {
    results[kind] = await measure(kind, clients, seconds, run + 1, log);
    log(`${kind}: ${format(results[kind])}`);
  }
  const out = { clients, seconds, results };
  const ratio = (other) => {
    const s = results.simulator ?? results.workers;
    const n = results[other];
    if (!s || !n) return undefined;
    const r = {
      cpuPerMessage: round(n.cpuUsPerMessage / s.cpuUsPerMessage, 2),
      memoryPerConnection: round(n.rssBytesPerConnection / s.rssBytesPerConnection, 2),
      sendLagP99: round(n.sendLagMs.p99 / Math.max(s.sendLagMs.p99, 0.5), 2),
    };
    log(`${other} / simulator: CPU per message x${r.cpuPerMessage}, memory per connection x${r.memoryPerConnection}, send lag p99 x${r.sendLagP99}`);
    return r;
  };
  out.ratios = { naive: ratio('naive'), floor: ratio('floor'), workers: results.simulator ? ratio('workers') : undefined };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

function format(r) {
  return (
    `${r.messages} messages in ${r.windowS} s; CPU ${r.cpuUsPerMessage} us/message (${r.cpuShare}% of a core, ${r.kernelShare}% in the kernel); ` +
    `RSS ${r.rssBytesPerConnection} B/connection (${Math.round(r.rssBytes / 1e6)} MB); ` +
    `send lag p50 ${r.sendLagMs.p50} ms, p99 ${r.sendLagMs.p99} ms, max ${r.sendLagMs.max} ms over ${r.sendLagMs.count} ticks; ` +
    `${r.connected}/${r.clients} connected`
  );
}

async function measure(kind, clients, seconds, run, log) {
  const server = spawnRole('server', { LSB_BENCH_KIND: kind });
  const { port } = await server.next('listening');
  const idle = await server.ask('sample');
  const procs = Math.ceil(clients / PER_PROCESS);
  const workers = Array.from({ length: procs }, (_, k) =>
    spawnRole('clients', {
      LSB_BENCH_URL: `ws://127.0.0.1:${port}/api/v11/live/stream`,
      LSB_BENCH_N: String(Math.floor(clients / procs) + (k < clients % procs ? 1 : 0)),
      LSB_BENCH_LOCAL: `127.${run}.${k + 1}`,
    }),
  );
  for (const w of workers) setPriority(w.child.pid, 19);
  const t0 = Date.now();
  const opened = await Promise.all(workers.map((w) => w.next('connected')));
  const connected = opened.reduce((s, o) => s + o.connected, 0);
  log(`${kind}: ${connected}/${clients} connected in ${((Date.now() - t0) / 1000).toFixed(1)} s over ${procs} processes`);
  await sleep(SETTLE_MS);

  const startServer = await server.ask('sample');
  const startClients = await Promise.all(workers.map((w) => w.ask('count')));
  await sleep(seconds * 1000);
  const endServer = await server.ask('sample');
  const endClients = await Promise.all(workers.map((w) => w.ask('count')));

  for (const w of workers) w.child.kill('SIGKILL');
  server.child.kill('SIGTERM');
  await Promise.all([server, ...workers].map((p) => p.exited));

  const messages = endClients.reduce((s, c) => s + c.messages, 0) - startClients.reduce((s, c) => s + c.messages, 0);
  const cpuUs = endServer.cpuUs - startServer.cpuUs;
  const windowMs = endServer.at - startServer.at;
  const windowTicks = endServer.ticks - startServer.ticks;
  const lags = windowTicks > 0 ? endServer.lags.slice(-windowTicks).sort((a, b) => a - b) : [];
  return {
    clients,
    connected,
    windowS: round(windowMs / 1000, 1),
    messages,
    cpuUsPerMessage: round(cpuUs / Math.max(messages, 1), 3),
    cpuShare: round((cpuUs / 1000 / windowMs) * 100, 1),
    /** Share of that CPU spent in the kernel: on loopback, a write also runs the receiver's TCP path. */
    kernelShare: round(((endServer.sysUs - startServer.sysUs) / Math.max(cpuUs, 1)) * 100, 1),
    rssBytes: endServer.rss,
    rssBytesPerConnection: Math.round((endServer.rss - idle.rss) / Math.max(connected, 1)),
    sendLagMs: {
      count: lags.length,
      p50: round(pct(lags, 50), 1),
      p99: round(pct(lags, 99), 1),
      max: round(lags.at(-1) ?? 0, 1),
    },
  };
}

/** A child running one role of this script, spoken to over IPC. */
function spawnRole(name, env) {
  const child = fork(new URL(import.meta.url).pathname, [], {
    env: { ...process.env, ...env, LSB_BENCH_ROLE: name },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map();
  child.on('message', (msg) => {
    const w = waiting.get(msg.kind);
    if (w) {
      waiting.delete(msg.kind);
      w(msg);
    }
  });
  const next = (kind) => new Promise((resolve) => waiting.set(kind, resolve));
  return {
    child,
    next,
    ask: (kind) => {
      const reply = next(kind);
      child.send({ kind });
      return reply;
    },
    exited: new Promise((resolve) => child.once('exit', resolve)),
  };
}

// ---------------------------------------------------------------- servers

async function serverRole(kind) {
  const server =
    kind === 'naive' ? await startNaive(false) : kind === 'floor' ? await startNaive(true) : await startOurs(kind === 'workers' ? Number(process.env.LSB_BENCH_WORKERS ?? 2) : 1);
  const sample = () => {
    const cpu = process.cpuUsage();
    const own = { cpuUs: cpu.user + cpu.system, sysUs: cpu.system, rss: process.memoryUsage().rss };
    // A cluster's work is done in its workers: add theirs.
    for (const pid of server.pids?.() ?? []) {
      const p = procSample(pid);
      own.cpuUs += p.cpuUs;
      own.sysUs += p.sysUs;
      own.rss += p.rss;
    }
    return { kind: 'sample', at: Date.now(), ...own, ticks: server.ticks(), lags: server.lags() };
  };
  process.on('message', (msg) => {
    if (msg.kind === 'sample') process.send(sample());
  });
  process.on('SIGTERM', async () => {
    await server.close();
    process.exit(0);
  });
  process.send({ kind: 'listening', port: server.port });
}

async function startOurs(workers) {
  const { startSimulator } = await import('../dist/simulator/index.js');
  const sim = await startSimulator({ port: 0, workers });
  return {
    port: sim.port,
    ticks: () => sim.stats().ticks,
    lags: () => sim.sendLags(),
    pids: workers > 1 ? () => sim.pids : undefined,
    close: () => sim.close(),
  };
}

/** CPU (µs, user and system) and RSS (bytes) of another process, from /proc (Linux; 100 ticks/s). */
function procSample(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const rss = Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
  return { cpuUs: (Number(f[11]) + Number(f[12])) * 10_000, sysUs: Number(f[12]) * 10_000, rss };
}

/**
 * What a first broadcast server usually looks like: one timer per channel
 * (aligned like ours, for a fair fight), JSON built once per tick, then
 * `ws.send(text)` for each subscriber, which frames it again every time.
 *
 * With `floor`, one timer writes, at each whole second, the frames due
 * (built and framed once) to every client's socket in one write, and does
 * nothing else: the least a design with one write per client per instant
 * can cost in Node. What remains is mostly the kernel's share.
 */
async function startNaive(floor) {
  const http = createServer();
  const wss = new WebSocketServer({ server: http, path: '/api/v11/live/stream', perMessageDeflate: false });
  const subscribers = new Map(CHANNELS.map((c) => [c.channel, new Set()]));
  const lags = [];
  let ticks = 0;
  let seq = 0;
  wss.on('connection', (ws) => {
    ws.on('error', () => {});
    ws.send(JSON.stringify({ type: 'connection_established', payload: { connectionId: `c${++seq}`, timestamp: Date.now() }, timestamp: Date.now() }));
    for (const c of CHANNELS) if (c.auto) subscribers.get(c.channel).add(ws);
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString());
      const set = subscribers.get(msg.channel);
      if (msg.type === 'subscribe' && set) {
        set.add(ws);
        ws.send(JSON.stringify({ type: 'subscription_confirmed', payload: { channel: msg.channel, status: 'subscribed' }, timestamp: Date.now() }));
      }
    });
    ws.on('close', () => {
      for (const set of subscribers.values()) set.delete(ws);
    });
  });
  const timers = floor ? [floorTicker()] : CHANNELS.map((c) => {
    let timer;
    const arm = () => {
      const due = (Math.floor(Date.now() / c.intervalMs) + 1) * c.intervalMs;
      timer = setTimeout(() => {
        const now = Date.now();
        const text = JSON.stringify({ type: c.type, payload: c.payload(), timestamp: now });
        for (const ws of subscribers.get(c.channel)) ws.send(text);
        ticks++;
        lags.push(Date.now() - due);
        if (lags.length > 10_000) lags.shift();
        arm();
      }, due - Date.now());
    };
    arm();
    return () => clearTimeout(timer);
  });
  // Every channel is due on whole seconds: one timer, and at each second one
  // write per client of the frames due (every bench client takes every channel).
  function floorTicker() {
    let timer;
    const arm = () => {
      const due = (Math.floor(Date.now() / 1000) + 1) * 1000;
      timer = setTimeout(() => {
        const now = Date.now();
        const frames = CHANNELS.filter((c) => due % c.intervalMs === 0).map((c) =>
          Buffer.concat(Sender.frame(Buffer.from(JSON.stringify({ type: c.type, payload: c.payload(), timestamp: now })), FRAME)),
        );
        const buf = Buffer.concat(frames);
        for (const ws of subscribers.get(CHANNELS[0].channel)) ws._socket.write(buf);
        const lag = Date.now() - due;
        for (let i = 0; i < frames.length; i++) lags.push(lag);
        ticks += frames.length;
        arm();
      }, due - Date.now());
    };
    arm();
    return () => clearTimeout(timer);
  }
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    port: http.address().port,
    ticks: () => ticks,
    lags: () => [...lags],
    close: async () => {
      for (const stop of timers) stop();
      for (const ws of wss.clients) ws.terminate();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

// ---------------------------------------------------------------- clients

async function clientsRole() {
  const url = process.env.LSB_BENCH_URL;
  const n = Number(process.env.LSB_BENCH_N);
  const local = process.env.LSB_BENCH_LOCAL;
  let messages = 0;
  let connected = 0;
  let failed = 0;
  const sockets = [];
  const subscribe = CHANNELS.filter((c) => !c.auto).map((c) => JSON.stringify({ type: 'subscribe', channel: c.channel }));
  // source addresses 127.a.b.1..200, 200 clients on each (far below the ~28k ports limit)
  const openOne = (i) =>
    new Promise((resolve) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true, localAddress: `${local}.${1 + (i % 200)}` });
      sockets.push(ws);
      ws.on('open', () => {
        connected++;
        for (const s of subscribe) ws.send(s);
        resolve();
      });
      ws.on('message', () => {
        messages++;
      });
      ws.on('error', () => {
        failed++;
        resolve();
      });
    });
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONNECT_CONCURRENCY, n) }, async () => {
      while (next < n) await openOne(next++);
    }),
  );
  process.on('message', (msg) => {
    if (msg.kind === 'count') process.send({ kind: 'count', messages });
  });
  process.send({ kind: 'connected', connected, failed });
}

// ---------------------------------------------------------------- helpers

function pct(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function round(x, digits) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
