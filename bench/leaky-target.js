#!/usr/bin/env node
// A simulator that leaks on purpose, for bench/memory-slope.js:
//
//   node bench/leaky-target.js <bytes-per-minute>
//
// Serves the clean simulator on a free loopback port (so its heap sees real
// traffic and GC) and, on top, retains `bytes-per-minute` in 4 KiB buffers
// filled with data (so the pages are touched and count in RSS), added every
// 250 ms. Prints the ws:// URL on its first stdout line.
import { startSimulator } from '../dist/simulator/index.js';

const perMinute = Number(process.argv[2] ?? 0);
const kept = [];
let owed = 0;
const sim = await startSimulator({ port: 0 });
process.stdout.write(`${sim.url}\n`);
setInterval(() => {
  owed += perMinute / 240;
  while (owed >= 4096) {
    kept.push(Buffer.alloc(4096, kept.length & 0xff));
    owed -= 4096;
  }
}, 250);
process.on('SIGTERM', () => sim.close().then(() => process.exit(0)));
