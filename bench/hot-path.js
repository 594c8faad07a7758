#!/usr/bin/env node
// The harness's receive path, per message, counted in CPU instructions:
// recorded frames replayed in process through the same code a run uses,
// for many simulated connections, against a bare client fed the same
// bytes. Instruction counts (valgrind) do not move with the machine's load,
// so a change to the hot path can be judged on a shared box where the
// wall-clock benches (harness.js, sse.js) swing by 0.15 and more.
//
//   node bench/hot-path.js record ws|sse [seconds=60]   # capture bench/fixtures/hot-path-<kind>.json from `serve`
//   node bench/hot-path.js [ws,sse] [clients=500]       # instructions per message, bare and harness, under valgrind
//   node bench/hot-path.js time [ws,sse] [clients=500]  # the same replay timed with process.cpuUsage (quick, noisy)
//   node bench/hot-path.js alloc [ws,sse] [clients=500] # bytes allocated on the JS heap per message (LSB_BENCH_SITES=1: where)
//
// What runs per message, as in a run:
// - ws, harness: ws's Receiver (the load clients' options: UTF-8 left to
//   the checks) -> the transport's message handler -> StreamClient.onMessage
//   -> ConnectionChecker -> FrameParser -> ChannelStream -> Recorder;
// - ws, bare: ws's Receiver (defaults) -> JSON.parse(data.toString());
// - sse, harness: the transport's EventFeed (eventsource-parser) on the
//   chunks as the socket delivered them -> StreamClient.onMessage -> ...;
// - sse, bare: eventsource-parser -> JSON.parse(event.data).
// The clock (performance.now, which wallNow reads) is set to each frame's
// recorded receive time plus a spread of a few ms over the clients, so
// latency, gaps and seconds are those of the recording; once per simulated
// second the driver's tick work runs (open count, ledger prune). What is
// left out is the same on both sides: the kernel, libuv, the socket
// streams, ws's WebSocket object.
//
// The figure: instructions of a replay of the whole recording minus those
// of a replay of its first FIRST_SHARE, over the messages between: startup,
// compilation and connection setup cancel out. Both runs use the V8 flags
// of the harness's worker processes.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { startSimulator } from './common.js';
import { performance } from 'node:perf_hooks';
import WebSocket, { Receiver } from 'ws';
import { createParser } from 'eventsource-parser';
import v8 from 'node:v8';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const PROFILES = { ws: 'aurigraph-v11', sse: 'gridwatch-sse' };
const fixture = (kind) => `${HERE}fixtures/hot-path-${kind}.json`;
/** The short replay ends here (a share of the recording's items). */
const FIRST_SHARE = 0.25;
/** Receive times of one frame over all clients spread over this many ms (a broadcast's writes take that long). */
const SPREAD_MS = 5;

const dist = (p) => import(new URL(`../dist/${p}`, import.meta.url).href);

async function profileFor(kind) {
  const { loadProfile } = await dist('profile/index.js');
  return loadProfile(PROFILES[kind]);
}

const startSimulatorOf = (kind) => startSimulator(['--profile', PROFILES[kind]]);

/** One client's stream for `seconds`: every frame's bytes (ws) or every chunk's text (sse), with its receive time. */
async function record(kind, seconds) {
  const profile = await profileFor(kind);
  const { streamUrl } = await dist('engine/stream-url.js');
  const sim = await startSimulatorOf(kind);
  const items = [];
  const channels = profile.channels.filter((c) => !c.autoStart).map((c) => c.channel);
  try {
    await new Promise((resolve, reject) => {
      setTimeout(resolve, seconds * 1000);
      if (kind === 'ws') {
        const ws = new WebSocket(sim.url, { perMessageDeflate: false });
        let subscribed = false;
        ws.on('message', (data, isBinary) => {
          items.push({ at: Date.now(), b64: Buffer.from(data).toString('base64'), binary: isBinary });
          // subscribe after the welcome, as the harness does
          if (!subscribed && profile.control.subscribe) {
            subscribed = true;
            for (const c of channels) ws.send(JSON.stringify(profile.control.subscribe(c)));
          }
        });
        ws.on('error', reject);
      } else {
        const u = new URL(streamUrl(sim.url, profile, channels));
        const req = request({ hostname: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, headers: { accept: 'text/event-stream' } }, (res) => {
          res.setEncoding('utf8');
          res.on('data', (chunk) => items.push({ at: Date.now(), text: chunk }));
        });
        req.on('error', reject);
        req.end();
      }
    });
  } finally {
    await sim.stop();
  }
  mkdirSync(`${HERE}fixtures`, { recursive: true });
  writeFileSync(fixture(kind), `${JSON.stringify({ kind, profile: PROFILES[kind], seconds, channels, items })}\n`);
  console.log(`${items.length} ${kind === 'ws' ? 'frames' : 'chunks'} in ${seconds} s -> ${fixture(kind)}`);
}

/** A server-to-client WebSocket frame (unmasked, FIN, text or binary) around a payload. */
function wsFrame(payload, binary) {
  const n = payload.length;
  const head = n < 126 ? Buffer.from([0, n]) : n < 65_536 ? Buffer.from([0, 126, n >> 8, n & 255]) : Buffer.alloc(10);
  if (n >= 65_536) {
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  head[0] = 0x80 | (binary ? 2 : 1);
  return Buffer.concat([head, payload]);
}

/** A connection the transport hands its owner; the replay feeds its owner directly. */
const fakeConnection = { send: () => true, terminate: () => undefined, closeGracefully: () => Promise.resolve(), ping: () => Promise.resolve(undefined) };

/**
 * Sets up `clients` connections of one side and returns a function that
 * feeds one recorded item to all of them at its receive time.
 */
async function setUp(kind, side, clients, rec) {
  if (side === 'bare' || side === 'floor') {
    // floor: the transport's parsing alone (the harness's options), nothing done with a message
    const floor = side === 'floor';
    let messages = 0;
    const feeds = [];
    for (let i = 0; i < clients; i += 1) {
      if (kind === 'ws') {
        const r = new Receiver({ allowSynchronousEvents: true, isServer: false, maxPayload: 100 * 1024 * 1024, skipUTF8Validation: floor });
        r.on('message', (data) => {
          if (!floor) JSON.parse(data.toString());
          messages += 1;
        });
        feeds.push((item) => r.write(item.wire));
      } else {
        const p = createParser({ onEvent: (e) => { if (!floor) JSON.parse(e.data); messages += 1; } });
        feeds.push((item) => p.feed(item.text));
      }
    }
    return { feeds, messages: () => messages, tick: () => undefined, finish: () => undefined };
  }
  const profile = await profileFor(kind);
  const { Recorder } = await dist('metrics/recorder.js');
  const { createCheckContext } = await dist('checks/context.js');
  const { StreamClient } = await dist('engine/client.js');
  const { wsClientOptions, frameHeaderBytes } = await dist('transport/websocket.js');
  const { EventFeed } = await dist('transport/sse-events.js');
  const recorder = new Recorder();
  const ctx = createCheckContext(profile, recorder);
  ctx.steadyStartMs = 0;
  const connect = { maxMessageBytes: 1 << 20, skipUtf8Validation: true };
  const sessions = [];
  const transport = {
    kind: kind === 'ws' ? 'websocket' : 'sse',
    clientMessages: kind === 'ws',
    session: () => {
      const s = { retryMs: undefined, lastEventId: undefined, get resumes() { return kind === 'sse' && this.lastEventId !== undefined; }, connect: () => fakeConnection };
      sessions.push(s);
      return s;
    },
  };
  const config = { urls: ['ws://replay'], checkSample: 1, transport, connect, subscribe: rec.channels, policy: { initialMs: 1000, maxMs: 30_000, multiplier: 2, jitter: 0, maxAttempts: 10 }, closeTimeoutMs: 1000 };
  const feeds = [];
  const all = [];
  for (let i = 0; i < clients; i += 1) {
    const client = new StreamClient(i, config, ctx, () => undefined, () => undefined);
    all.push(client);
    client.start();
    client.onOpen();
    if (kind === 'ws') {
      const o = wsClientOptions(connect);
      const r = new Receiver({ allowSynchronousEvents: true, isServer: false, maxPayload: o.maxPayload, skipUTF8Validation: o.skipUTF8Validation });
      // the transport's own handler (transport/websocket.ts)
      r.on('message', (data, isBinary) => client.onMessage(data, isBinary, data.length + frameHeaderBytes(data.length), undefined));
      feeds.push((item) => r.write(item.wire));
    } else {
      const feed = new EventFeed(client, sessions[i], connect.maxMessageBytes, () => undefined);
      feeds.push((item) => feed.feed(item.text));
    }
  }
  const longest = Math.max(...profile.channels.map((c) => c.intervalMs));
  return {
    feeds,
    messages: () => recorder.frames,
    // the load driver's tick (engine/load-driver.ts), once a second
    tick: (now) => {
      recorder.open(now, clients);
      ctx.ledger.prune(longest);
      recorder.secondStats(Math.floor(now / 1000) - 1);
    },
    // the connections' books closed; the snapshot, made once at the end of a run, is left out
    finish: () => {
      for (const c of all) void c.stop();
      return { counters: { violations: recorder.counter('violations') } };
    },
  };
}

function loadRecording(kind) {
  const rec = JSON.parse(readFileSync(fixture(kind), 'utf8'));
  for (const item of rec.items) if (item.b64 !== undefined) item.wire = wsFrame(Buffer.from(item.b64, 'base64'), item.binary);
  return rec;
}

/** Replays the first `share` of the recording to every client; returns the messages the side received. */
async function replay(kind, side, clients, share, mark = async () => undefined) {
  const rec = loadRecording(kind);
  const origin = performance.timeOrigin;
  let simNow = rec.items[0].at;
  // wallNow() is timeOrigin + performance.now(): the replay sets the clock
  performance.now = () => simNow - origin;
  const s = await setUp(kind, side, clients, rec);
  const end = Math.round(rec.items.length * share);
  let second = Math.floor(simNow / 1000);
  const markAt = Math.round(rec.items.length * FIRST_SHARE);
  let marked = 0;
  for (let k = 0; k < end; k += 1) {
    if (k === markAt) {
      marked = s.messages();
      await mark();
    }
    const item = rec.items[k];
    for (let i = 0; i < clients; i += 1) {
      simNow = item.at + (i * SPREAD_MS) / clients;
      s.feeds[i](item);
    }
    if (Math.floor(simNow / 1000) !== second) {
      second = Math.floor(simNow / 1000);
      s.tick(simNow);
    }
  }
  const messages = s.messages();
  const after = await mark();
  const snapshot = s.finish();
  return { messages, sinceMark: messages - marked, after, violations: snapshot?.counters.violations ?? 0 };
}

const BUSY = ['--max-semi-space-size=64'];
/**
 * Under valgrind, V8's background threads (compiler, GC) get the CPU when
 * valgrind's scheduler says: when optimised code arrives, and so the count,
 * moved by a factor of two between runs. On one thread it is the same each run.
 */
const DETERMINISTIC = ['--single-threaded', '--predictable', '--no-memory-reducer', '--hash-seed=1', '--random-seed=1'];

/**
 * One replay in a fresh process. Under valgrind (callgrind) the counts are
 * dumped at the two marks (a quarter in, and the end): the part between
 * them is the figure, in the one process, so start-up, loading and the
 * first compilations are not in it. Timed (process.cpuUsage), the short
 * replay is subtracted from the long one instead. Valgrind's counts do not
 * depend on what else runs, so its replays run side by side.
 */
function child(how, kind, side, clients, share) {
  const script = [fileURLToPath(import.meta.url), '--replay', kind, side, String(clients), String(share)];
  const dir = how === 'valgrind' ? mkdtempSync(join(tmpdir(), 'lsb-hot-path-')) : undefined;
  const [cmd, args] = how === 'valgrind'
    ? ['valgrind', ['--tool=callgrind', `--callgrind-out-file=${dir}/cg.out`, '--dump-before=node::v8_utils::SetFlagsFromString*', process.execPath, ...BUSY, ...DETERMINISTIC, ...script]]
    : [process.execPath, [...BUSY, ...script]];
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(dir ? { LSB_BENCH_MARK: '1' } : {}) } });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => { stdout += d; });
    c.stderr.on('data', (d) => { stderr += d; });
    c.once('error', reject);
    c.once('close', (code) => {
      if (code !== 0) return reject(new Error(`${how} ${kind} ${side} failed: ${stderr.slice(-2000)}`));
      const out = JSON.parse(stdout);
      if (dir) {
        // part 2: from the first mark to the second
        out.ir = Number(/^summary: (\d+)/m.exec(readFileSync(`${dir}/cg.out.2`, 'utf8'))[1]);
        rmSync(dir, { recursive: true, force: true });
      }
      resolve(out);
    });
  });
}

/** Instructions (or CPU µs) per message over the span measured. */
async function perMessage(how, kind, side, clients) {
  if (how === 'valgrind') {
    const r = await child(how, kind, side, clients, 1);
    return { messages: r.messages, violations: r.violations, perMessage: r.ir / r.sinceMark };
  }
  const short = await child(how, kind, side, clients, FIRST_SHARE);
  const long = await child(how, kind, side, clients, 1);
  const n = long.messages - short.messages;
  return { messages: long.messages, violations: long.violations, perMessage: (long.cpuUs - short.cpuUs) / n };
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === '--replay') {
  const [kind, side, clients, share] = rest;
  const c0 = process.cpuUsage();
  // under callgrind, a call it dumps its counts before (--dump-before): the span between the two marks is one part
  const mark = process.env.LSB_BENCH_MARK ? async () => { v8.setFlagsFromString('--stack-trace-limit=10'); } : undefined;
  const r = await replay(kind, side, Number(clients), Number(share), mark);
  const cpu = process.cpuUsage(c0);
  process.stdout.write(JSON.stringify({ messages: r.messages, sinceMark: r.sinceMark, violations: r.violations, cpuUs: cpu.user + cpu.system }));
} else if (mode === '--alloc') {
  const [kind, side, clients] = rest;
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  let sampling = false;
  // allocations between the mark (a quarter in) and the end, collected garbage included: every byte the path allocates
  const r = await replay(kind, side, Number(clients), 1, async () => {
    if (!sampling) {
      sampling = true;
      await session.post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
      return undefined;
    }
    return (await session.post('HeapProfiler.stopSampling')).profile;
  });
  const sites = new Map();
  let total = 0;
  const walk = (node, stack) => {
    const cf = node.callFrame;
    const here = `${cf.functionName || '(anonymous)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}`;
    if (node.selfSize > 0) {
      total += node.selfSize;
      const key = [here, ...stack.slice(-2)].join(' < ');
      sites.set(key, (sites.get(key) ?? 0) + node.selfSize);
    }
    for (const c of node.children) walk(c, [here, ...stack].slice(0, 3));
  };
  walk(r.after.head, []);
  const top = [...sites].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => ({ bytesPerMessage: +(v / r.sinceMark).toFixed(1), site: k }));
  process.stdout.write(JSON.stringify({ bytesPerMessage: +(total / r.sinceMark).toFixed(1), top }));
} else if (mode === 'record') {
  await record(rest[0] ?? 'ws', Number(rest[1] ?? 60));
} else {
  if (mode === 'alloc') {
    // sampled allocation sites, in process (node:inspector): bytes per message and where
    const kinds = (rest[0] ?? 'ws,sse').split(',');
    for (const kind of kinds) {
      for (const side of ['bare', 'harness']) {
        const r = spawnSync(process.execPath, [...BUSY, fileURLToPath(import.meta.url), '--alloc', kind, side, rest[1] ?? '500'], { encoding: 'utf8', maxBuffer: 1 << 24 });
        if (r.status !== 0) throw new Error(r.stderr);
        const out = JSON.parse(r.stdout);
        console.log(JSON.stringify({ kind, side, bytesPerMessage: out.bytesPerMessage }));
        if (process.env.LSB_BENCH_SITES) for (const t of out.top) console.log(`  ${String(t.bytesPerMessage).padStart(7)}  ${t.site}`);
      }
    }
    process.exit(0);
  }
  const how = mode === 'time' ? mode : 'valgrind';
  const args = how === 'valgrind' ? [mode, ...rest] : rest;
  const kinds = (args[0] ?? 'ws,sse').split(',');
  const clients = Number(args[1] ?? 500);
  const unit = { valgrind: 'instructionsPerMessage', time: 'cpuUsPerMessage' }[how];
  for (const kind of kinds) {
    // LSB_BENCH_BARE=<n>: the bare figure already measured (it does not depend on the harness's code)
    const known = Number(process.env.LSB_BENCH_BARE?.split(',')[kinds.indexOf(kind)]);
    const sides = [known > 0 ? 'known' : 'bare', 'harness', ...(process.env.LSB_BENCH_FLOOR ? ['floor'] : [])];
    const measure = (side) => (side === 'known' ? Promise.resolve({ perMessage: known }) : perMessage(how, kind, side, clients));
    const results = how === 'valgrind' ? await Promise.all(sides.map(measure)) : await sides.reduce(async (acc, side) => [...(await acc), await measure(side)], Promise.resolve([]));
    const [bare, harness, floor] = results;
    const round = (v) => +v.toFixed(how === 'time' ? 3 : 0);
    console.log(JSON.stringify({
      kind,
      clients,
      messages: harness.messages,
      bare: { [unit]: round(bare.perMessage) },
      harness: { [unit]: round(harness.perMessage), violations: harness.violations },
      // LSB_BENCH_FLOOR=1: the transport's own parsing, nothing done with a message
      ...(floor ? { floor: { [unit]: round(floor.perMessage) }, checks: round(harness.perMessage - floor.perMessage) } : {}),
      ratio: +(harness.perMessage / bare.perMessage).toFixed(3),
      extra: round(harness.perMessage - bare.perMessage),
    }));
  }
}
