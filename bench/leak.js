// What bench/leaky-target.js and bench/jvm-like-target.js share: the
// simulator on a free loopback port (its URL on the first stdout line), and
// a leak of `perMinute` bytes kept in 4 KiB buffers filled with data (so the
// pages count in RSS), added every 250 ms. `onTick` runs first each tick.
import { startSimulator } from '../dist/simulator/index.js';

export async function serveLeaking(perMinute, onTick = () => {}) {
  const kept = [];
  let owed = 0;
  const sim = await startSimulator({ port: 0 });
  process.stdout.write(`${sim.url}\n`);
  setInterval(() => {
    onTick();
    owed += perMinute / 240;
    while (owed >= 4096) {
      kept.push(Buffer.alloc(4096, kept.length & 0xff));
      owed -= 4096;
    }
  }, 250);
  process.on('SIGTERM', () => sim.close().then(() => process.exit(0)));
}
