#!/usr/bin/env node
// A target whose RSS never falls, as a JVM's rarely does (it keeps its heap
// committed), for bench/memory-slope.js:
//
//   node --no-memory-reducer bench/jvm-like-target.js <leak-bytes-per-minute> [committed-MB=48] [fill-s=20]
//
// Serves the clean simulator on a free loopback port and, on top, fills a
// pool of `committed` MB the way a heap first fills its committed size:
// fast, then slower (1 - e^(-3t/fill): 95 % of it after `fill` s), and then
// keeps it, rewriting it now and then (a heap reused, no new pages). Nothing
// is ever given back. A leak, when asked for, is kept on top in 4 KiB
// buffers every 250 ms. Prints the ws:// URL on its first stdout line.
import { serveLeaking } from './leak.js';

const perMinute = Number(process.argv[2] ?? 0);
const committed = Number(process.argv[3] ?? 48) * 1024 * 1024;
const fillMs = Number(process.argv[4] ?? 20) * 1000;
const CHUNK = 256 * 1024;
const pool = [];
const start = Date.now();
await serveLeaking(perMinute, () => {
  const want = committed * (1 - Math.exp((-3 * (Date.now() - start)) / fillMs));
  while ((pool.length + 1) * CHUNK <= want) pool.push(Buffer.alloc(CHUNK, pool.length & 0xff));
  if (pool.length > 0) pool[Math.floor(Math.random() * pool.length)].fill(Date.now() & 0xff); // reuse, no new pages
});
