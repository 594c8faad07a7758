#!/usr/bin/env node
// Harness cost per received Server-Sent Event, against a bare SSE client in
// the same script, same machine, same simulator, same client count: the SSE
// counterpart of harness.js (whose structure it follows).
//
//   node bench/sse.js [clients=100,5000] [seconds=20] [repeats=3]
//
// The bare client opens an HTTP GET of text/event-stream per connection,
// parses the events with eventsource-parser (the harness's own parser),
// JSON-parses each event's data and counts it: nothing else. The harness
// runs every check through the library API. Each side runs in a fresh
// process, the two of a pair at once over the same window (bench/common.js);
// the figure is the ratio of CPU (user+system) per event, median of the
// pairs. Target: within 1.2x at 5,000 connections (issue 16).
import { harnessSide, runSideIfAsked, spawnSide, medianPair, startSimulator, windowCpu } from './common.js';
import { Agent, request } from 'node:http';
import { createParser } from 'eventsource-parser';

const PROFILE = 'gridwatch-sse';
const counts = (process.argv[2] ?? '100,5000').split(',').map(Number);
const seconds = Number(process.argv[3] ?? 20);
const repeats = Math.max(1, Number(process.argv[4] ?? 3));


/** Bare client: GET, parse events, JSON.parse each data, count. */
async function bare(url, n, t0, ms) {
  const u = new URL(url.replace(/^ws/, 'http'));
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const rss0 = process.memoryUsage().rss;
  let messages = 0;
  const reqs = [];
  await Promise.all(Array.from({ length: n }, () => new Promise((resolve, reject) => {
    const req = request({ hostname: u.hostname, port: u.port, path: u.pathname, agent, headers: { accept: 'text/event-stream' } }, (res) => {
      const parser = createParser({ onEvent: (e) => { JSON.parse(e.data); messages += 1; } });
      res.setEncoding('utf8');
      res.on('data', (chunk) => parser.feed(chunk));
      resolve();
    });
    req.on('error', reject);
    req.end();
    reqs.push(req);
  })));
  const w = await windowCpu(t0, ms, () => messages);
  const msgs = w.counted;
  for (const req of reqs) req.destroy();
  return { msgs, cpuUs: w.cpuUs, sysUs: w.sysUs, rssPerConn: (w.rss - rss0) / n };
}

/** The real harness, every check on, through the library API. */
const harness = (url, n, t0, ms) => harnessSide(url, n, t0, ms, { profile: PROFILE });

await runSideIfAsked({ bare, harness });

const side = (kind, url, n, t0) => spawnSide(import.meta.url, kind, url, n, t0, seconds);

const sim = await startSimulator(['--profile', PROFILE]);
try {
  for (const n of counts) {
    const { pairs, b, h } = await medianPair(side, sim.url, n, repeats);
    const bPer = b.cpuUs / b.msgs;
    const hPer = h.cpuUs / h.msgs;
    console.log(JSON.stringify({
      transport: 'sse',
      clients: n,
      bare: { events: b.msgs, cpuUsPerEvent: +bPer.toFixed(2), kbPerConnection: +(b.rssPerConn / 1024).toFixed(1) },
      harness: { events: h.msgs, cpuUsPerEvent: +hPer.toFixed(2), kbPerConnection: +(h.rssPerConn / 1024).toFixed(1), eventLoopP99Ms: +h.health.eventLoopP99Ms.toFixed(1), saturated: h.health.saturated },
      cpuRatio: +(hPer / bPer).toFixed(2),
      cpuRatios: pairs.map((p) => +p.ratio.toFixed(2)),
    }));
  }
} finally {
  await sim.stop();
}
