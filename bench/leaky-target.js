#!/usr/bin/env node
// A simulator that leaks on purpose, for bench/memory-slope.js:
//
//   node bench/leaky-target.js <bytes-per-minute>
//
// Serves the clean simulator on a free loopback port (so its heap sees real
// traffic and GC) and, on top, retains `bytes-per-minute` in 4 KiB buffers
// filled with data (so the pages are touched and count in RSS), added every
// 250 ms. Prints the ws:// URL on its first stdout line.
import { serveLeaking } from './leak.js';

await serveLeaking(Number(process.argv[2] ?? 0));
