#!/usr/bin/env node
// Harness cost per received message, against a bare ws client in the same
// script, same machine, same simulator, same client count.
//
//   node bench/harness.js [clients=100,5000] [seconds=20] [repeats=3]
//
// Each count runs `repeats` bare/harness pairs and reports the pair with the
// median CPU ratio beside every pair's ratio. The two sides of a pair run at
// once, each in a process of its own, against the same simulator (its own
// process, `serve --port 0`), and measure the same whole seconds of wall
// time once every client is open: the same ticks reach both, and what else
// the shared machine does then weighs on both (bench/common.js). Each side
// opens N all-channel clients at once and measures its own process CPU
// (user+system) and RSS over the window. The memory ratio is the median of
// the pairs' own, beside every pair's.
import { harnessSide, runSideIfAsked, spawnSide, medianPair, startSimulator, windowCpu } from './common.js';
import WebSocket from 'ws';

const counts = (process.argv[2] ?? '100,5000').split(',').map(Number);
const seconds = Number(process.argv[3] ?? 20);
const repeats = Math.max(1, Number(process.argv[4] ?? 3));
const CHANNELS = ['block_updates', 'network_status', 'validator_metrics'];


/** Bare client: parse JSON and count, nothing else. */
async function bare(url, n, t0, ms) {
  const rss0 = process.memoryUsage().rss;
  let messages = 0;
  const sockets = [];
  await Promise.all(Array.from({ length: n }, () => new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    sockets.push(ws);
    ws.on('open', () => {
      for (const channel of CHANNELS) ws.send(JSON.stringify({ type: 'subscribe', channel }));
      resolve();
    });
    ws.on('message', (data) => {
      JSON.parse(data.toString());
      messages += 1;
    });
    ws.on('error', reject);
  })));
  const w = await windowCpu(t0, ms, () => messages);
  const msgs = w.counted;
  for (const ws of sockets) ws.terminate();
  return { msgs, cpuUs: w.cpuUs, sysUs: w.sysUs, rssPerConn: (w.rss - rss0) / n };
}

/** The real harness, every check on, through the library API. */
const harness = (url, n, t0, ms) => harnessSide(url, n, t0, ms);

await runSideIfAsked({ bare, harness });

const side = (kind, url, n, t0) => spawnSide(import.meta.url, kind, url, n, t0, seconds);

/** The middle value (the lower middle of an even count), to 2 decimals. */
function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  return +sorted[Math.floor((sorted.length - 1) / 2)].toFixed(2);
}

const sim = await startSimulator();
let previous;
try {
  for (const n of counts) {
    const { pairs, b, h } = await medianPair(side, sim.url, n, repeats);
    // Growth per connection from the previous count: a fixed cost (schemas,
    // histograms, modules) spread over 100 clients is not per connection.
    const marginal = previous && n > previous.n
      ? {
          fromClients: previous.n,
          bareKbPerConnection: +((b.rssPerConn * n - previous.b.rssPerConn * previous.n) / (n - previous.n) / 1024).toFixed(1),
          harnessKbPerConnection: +((h.rssPerConn * n - previous.h.rssPerConn * previous.n) / (n - previous.n) / 1024).toFixed(1),
        }
      : undefined;
    if (marginal) marginal.ratio = +(marginal.harnessKbPerConnection / marginal.bareKbPerConnection).toFixed(2);
    previous = { n, b, h };
    const bPer = b.cpuUs / b.msgs;
    const hPer = h.cpuUs / h.msgs;
    console.log(JSON.stringify({
      clients: n,
      bare: { messages: b.msgs, cpuUsPerMessage: +bPer.toFixed(2), kbPerConnection: +(b.rssPerConn / 1024).toFixed(1) },
      harness: { messages: h.msgs, cpuUsPerMessage: +hPer.toFixed(2), kbPerConnection: +(h.rssPerConn / 1024).toFixed(1), eventLoopP99Ms: +h.health.eventLoopP99Ms.toFixed(1), saturated: h.health.saturated },
      cpuRatio: +(hPer / bPer).toFixed(2),
      cpuRatios: pairs.map((p) => +p.ratio.toFixed(2)),
      // RSS per connection swings with where each side's 64 MB young
      // generation stands when sampled (up to ~25 KB per connection at
      // 5,000), so memory gets its own median over the pairs
      memoryRatio: median(pairs.map((p) => p.h.rssPerConn / p.b.rssPerConn)),
      memoryRatios: pairs.map((p) => +(p.h.rssPerConn / p.b.rssPerConn).toFixed(2)),
      ...(marginal ? { marginalMemory: marginal } : {}),
    }));
  }
} finally {
  await sim.stop();
}
