import { Worker } from 'node:worker_threads';
import { ChannelTicker } from './channel-ticker.js';

/**
 * Faults on the process itself rather than on the wire, so that the load
 * run's `server_memory` and `server_cpu` criteria can be shown to fail:
 *
 * - `leak=<MB/min>`: every second, one Buffer of rate/60 MB is allocated,
 *   filled (so its pages are touched and count in RSS, not only in virtual
 *   size) and kept. Lifting the fault drops what it kept; RSS falls back as
 *   the allocator returns the pages (at once for the large buffers glibc
 *   maps on their own, 128 KiB and up, i.e. rates of ~7.5 MB/min and up).
 * - `cpu=<p>%`: a worker thread spins for p x 100 ms of every 100 ms slice and
 *   sleeps the rest (made up for when the machine takes its core). A thread, not the event loop: the process's CPU (what
 *   /proc and process_cpu_seconds_total count, every thread included) rises
 *   while ticks stay on time; on a machine with a free core the event loop
 *   does not notice it at all.
 *
 * - `retain=<size>` (sessions.ts): each connection opened while it is set
 *   leaves a buffer of that size, filled, that nothing frees while the
 *   simulator runs: memory kept per connection ever opened.
 *
 * Everything kept on purpose (this leak, `retain` and the legacy server's registry)
 * counts against one cap, RETAIN_CAP_BYTES per process: past it nothing more
 * is kept, so a forgotten `leak=1000` cannot take the machine down.
 */

const MB = 1024 * 1024;
/** What a simulator process keeps on purpose, at most: 2 GiB. */
export const RETAIN_CAP_BYTES = 2 * 1024 * MB;
/** A burner slice: the share is met over each 100 ms. */
const SLICE_MS = 100;

/** Bytes kept on purpose, under the cap. */
export class Retained {
  private kept = 0;

  constructor(readonly capBytes: number = RETAIN_CAP_BYTES) {}

  get bytes(): number {
    return this.kept;
  }

  /** A buffer of `size` bytes filled with `fill` (resident), or undefined past the cap. */
  take(size: number, fill: number): Buffer | undefined {
    if (size <= 0 || this.kept + size > this.capBytes) return undefined;
    this.kept += size;
    return Buffer.alloc(size, fill);
  }

  /** Gives back bytes taken earlier (the caller drops the buffers). */
  give(size: number): void {
    this.kept = Math.max(0, this.kept - size);
  }
}

/** `leak=<MB/min>`: a step of memory kept each second. */
class Leak {
  private readonly kept: Buffer[] = [];
  private keptBytes = 0;
  private owed = 0;
  private ratePerSecond = 0;
  private ticker: ChannelTicker | undefined;

  constructor(private readonly retained: Retained) {}

  set(mbPerMin: number | undefined): void {
    if (mbPerMin === undefined) {
      this.stop();
      return;
    }
    this.ratePerSecond = (mbPerMin * MB) / 60;
    if (!this.ticker) {
      this.ticker = new ChannelTicker(1000, () => this.step());
      this.ticker.start();
    }
  }

  stop(): void {
    this.ticker?.stop();
    this.ticker = undefined;
    this.owed = 0;
    this.retained.give(this.keptBytes);
    this.kept.length = 0;
    this.keptBytes = 0;
  }

  private step(): void {
    this.owed += this.ratePerSecond;
    const size = Math.floor(this.owed);
    // Under 4 KiB a step would not touch a page of its own: wait for more.
    if (size < 4096) return;
    this.owed -= size;
    const buffer = this.retained.take(size, (this.kept.length % 251) + 1);
    if (!buffer) return;
    this.kept.push(buffer);
    this.keptBytes += size;
  }
}

/**
 * The burner thread. Plain JS evaluated as a worker (no file to find in src/
 * or dist/). Shared memory: [0] the share in per-mille, [1] the stop flag,
 * which also wakes the thread from its sleep.
 *
 * Each 100 ms slice it spins for share x 100 ms, corrected by how far its
 * own CPU time (/proc/thread-self/stat, Linux) lags the share since the
 * share was set: on a busy machine a spin loses the core now and then, and
 * the next slices make up for it (at most one slice's worth at a time), so
 * the process does burn the share whenever a core has that much to give.
 * Example: share 0.4, after 1000 ms the thread has 330 ms of CPU, 70 ms
 * owed: the next slice spins 40 + 70 = 110 -> 100 ms (the whole slice).
 */
const BURNER = `
const { workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const view = new Int32Array(workerData);
const SLICE = ${SLICE_MS};
function threadCpuMs() {
  try {
    const text = readFileSync('/proc/thread-self/stat', 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10; // USER_HZ is 100 in /proc
  } catch {
    return undefined;
  }
}
let perMille = -1;
let since = 0;
let cpuAtSince = 0;
for (;;) {
  if (Atomics.load(view, 1) !== 0) break;
  const start = performance.now();
  const now = Atomics.load(view, 0);
  if (now !== perMille) {
    perMille = now;
    since = start;
    cpuAtSince = threadCpuMs();
  }
  const share = perMille / 1000;
  let busy = SLICE * share;
  const cpu = cpuAtSince === undefined ? undefined : threadCpuMs();
  if (cpu !== undefined) {
    const owed = share * (start - since) - (cpu - cpuAtSince);
    busy = Math.min(SLICE, Math.max(0, busy + Math.max(-SLICE, Math.min(SLICE, owed))));
  }
  while (performance.now() - start < busy) {}
  const rest = SLICE - (performance.now() - start);
  if (rest > 0) Atomics.wait(view, 1, 0, rest);
}
`;

/** `cpu=<p>%`: a worker thread that burns that share of one core. */
class CpuBurner {
  private worker: Worker | undefined;
  private view: Int32Array | undefined;

  set(share: number | undefined): void {
    if (share === undefined) {
      this.stop();
      return;
    }
    const perMille = Math.round(Math.min(1, share) * 1000);
    if (this.view) {
      Atomics.store(this.view, 0, perMille);
      return;
    }
    const memory = new SharedArrayBuffer(8);
    this.view = new Int32Array(memory);
    Atomics.store(this.view, 0, perMille);
    this.worker = new Worker(BURNER, { eval: true, workerData: memory });
    this.worker.on('error', () => {});
    this.worker.unref();
  }

  stop(): void {
    if (this.view) {
      Atomics.store(this.view, 1, 1);
      Atomics.notify(this.view, 1);
    }
    // The flag ends the loop within one slice; terminate in case it is mid-spin.
    void this.worker?.terminate();
    this.worker = undefined;
    this.view = undefined;
  }
}

/** The resource faults of one simulator process. */
export class ResourceFaults {
  readonly retained = new Retained();
  private readonly leak = new Leak(this.retained);
  private readonly cpu = new CpuBurner();

  apply(leakMBPerMin: number | undefined, cpuShare: number | undefined): void {
    this.leak.set(leakMBPerMin);
    this.cpu.set(cpuShare);
  }

  stop(): void {
    this.leak.stop();
    this.cpu.stop();
  }
}
