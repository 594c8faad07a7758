import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AggregatorRegistry } from 'prom-client';
import { harnessError } from '../errors.js';
import { BUSY_PROCESS_EXEC_ARGV } from '../v8-flags.js';
import type { ProfileDocument } from '../profile/index.js';
import { formatFaults, parseFaults } from '../source/fault-spec.js';
import { Listeners } from './listeners.js';
import { processMetricsJson } from './metrics.js';
import type { ResolvedOptions, SimulatorOptions } from './options.js';
import { Rpc } from './rpc.js';
import type { ProcessStats } from './simulator.js';
import { mergeStats } from './stats-merge.js';

/**
 * A simulator over several processes (`serve --workers N`). This process,
 * the primary, opens the listening socket of every address, passes each one
 * to every worker over IPC, then closes its own copies: from then on the
 * workers accept straight from the shared sockets and the primary never sees
 * a connection. Why this shape:
 *
 * - Connects stay fast under load. An earlier design had the primary accept
 *   and hand each socket to a worker in turn; Node passes one handle per IPC
 *   channel at a time and waits for the worker's ack, and a worker busy
 *   writing a tick to 12,000 sockets acks a few times a second. At 50,000
 *   clients the hand-off queue reached the primary's 20,000 open files and
 *   every later connect timed out or was reset.
 * - The spread follows the load. Every idle worker is woken for a new
 *   connection and one of them takes it; a worker busy with a tick's burst
 *   is not waiting, so the others take more. It is not exact round-robin,
 *   which is why the default of the embedded target leaves each worker well
 *   under the open-file limit (engine/run.ts).
 * - No shared state is needed for the data: tick payloads and stamps are
 *   pure functions of the seed and the tick, and ticks sit on the wall clock,
 *   so every worker writes byte-identical frames at the same instants.
 *
 * Faults set through any worker's admin API (or `setFaults` here) are
 * validated here and applied in every worker before the answer. Stats are
 * pushed by each worker every 500 ms and merged here (stats-merge.ts), so
 * they can be that old; /metrics is gathered fresh from every worker and
 * this process, and aggregated by prom-client (counters and process_*
 * figures summed: process_resident_memory_bytes is the cluster's RSS).
 * Per-process faults (`leak`, `cpu`, `max-connections`) act in each worker.
 */

/** The built worker entry: from src/simulator/ (tests) and dist/simulator/ alike. */
const WORKER_ENTRY = fileURLToPath(new URL('../../dist/simulator/worker-process.js', import.meta.url));
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 3000;
const LAG_RING = 10_000;

/** What a worker is told at start: the options that cross a process boundary. */
export interface WorkerStart {
  readonly workerIndex: number;
  readonly workers: number;
  /** The profile as data: a user's file is no built-in a worker could find by name. */
  readonly profile: ProfileDocument;
  readonly options: Omit<SimulatorOptions, 'profile' | 'host' | 'port' | 'workers'>;
}

interface Worker {
  readonly index: number;
  readonly child: ChildProcess;
  readonly rpc: Rpc;
  stats: ProcessStats | undefined;
  alive: boolean;
  readonly exited: Promise<void>;
}

export interface WorkerInfo {
  readonly index: number;
  readonly pid: number;
  readonly alive: boolean;
  readonly connections: number;
}

export class SimulatorCluster {
  private readonly workers: Worker[] = [];
  private readonly listeners: Listeners;
  private specs: string[];
  private readonly lags: number[] = [];
  private lagNext = 0;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: ResolvedOptions) {
    // Bad specs fail here, before any process is forked.
    this.specs = formatFaults(parseFaults(options.faults, options.profile));
    // Only a client that knew the port in advance (--port) can connect in the
    // moment before the workers hold the sockets; it is reset and retries.
    this.listeners = new Listeners({ hosts: options.hosts, port: options.port }, (socket) => socket.destroy());
  }

  /** Forks the workers, waits until each is ready, then listens. Resolves with the port. */
  async start(): Promise<number> {
    if (!existsSync(WORKER_ENTRY)) throw harnessError(`workers need the built simulator (${WORKER_ENTRY}); run npm run build`);
    for (let i = 0; i < this.options.workers; i++) this.workers.push(this.forkWorker(i));
    try {
      await Promise.all(this.workers.map((w) => this.startWorker(w)));
      const port = await this.listeners.open();
      // Every worker holds every listening socket before this process lets go of its own.
      for (const server of this.listeners.servers()) await Promise.all(this.workers.map((w) => w.rpc.request('listen', undefined, START_TIMEOUT_MS, server)));
      await this.listeners.close();
      return port;
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  faults(): string[] {
    return [...this.specs];
  }

  /** Validates (throws LSB_USAGE at once), then applies in every worker. */
  setFaults(specs: readonly string[]): Promise<void> {
    const canonical = formatFaults(parseFaults(specs, this.options.profile));
    this.specs = canonical;
    return Promise.all(this.live().map((w) => w.rpc.request('faults', canonical))).then(() => undefined);
  }

  stats(): ProcessStats & { readonly workers: readonly WorkerInfo[] } {
    const parts = this.workers.flatMap((w) => (w.stats ? [w.stats] : []));
    return { ...mergeStats(parts, this.lags, this.faults()), workers: this.workerInfo() };
  }

  workerInfo(): WorkerInfo[] {
    return this.workers.map((w) => ({ index: w.index + 1, pid: w.child.pid ?? 0, alive: w.alive, connections: w.stats?.connections ?? 0 }));
  }

  sendLags(): number[] {
    if (this.lags.length < LAG_RING) return [...this.lags];
    return [...this.lags.slice(this.lagNext), ...this.lags.slice(0, this.lagNext)];
  }

  /** Prometheus text over every process: each worker's series and this process's own. */
  async metricsText(): Promise<string> {
    const parts = await Promise.all(this.live().map((w) => w.rpc.request<unknown[]>('metrics')));
    parts.push(await processMetricsJson());
    return AggregatorRegistry.aggregate(parts as Parameters<typeof AggregatorRegistry.aggregate>[0]).metrics();
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const stopped = this.listeners.close(); // already closed unless start failed half-way
    await Promise.all(
      this.workers.map(async (w) => {
        if (w.alive) await w.rpc.request('stop', undefined, STOP_TIMEOUT_MS).catch(() => {});
        const kill = setTimeout(() => w.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await w.exited;
        clearTimeout(kill);
      }),
    );
    await stopped;
  }

  private live(): Worker[] {
    return this.workers.filter((w) => w.alive);
  }

  private forkWorker(index: number): Worker {
    const child = fork(WORKER_ENTRY, [], { execArgv: [...BUSY_PROCESS_EXEC_ARGV], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
    const worker: Worker = {
      index,
      child,
      stats: undefined,
      alive: true,
      exited: new Promise((resolve) => child.once('exit', () => resolve())),
      rpc: new Rpc(child, {
        stats: (body) => this.onStats(worker, body as { stats: ProcessStats; lags: number[] }),
        setFaults: (body) => this.setFaults(body as string[]),
        getStats: () => this.stats(),
        getMetrics: () => this.metricsText(),
      }),
    };
    child.on('error', () => {});
    child.once('exit', () => {
      worker.alive = false;
      worker.rpc.failAll(`simulator worker ${index + 1} exited`);
    });
    return worker;
  }

  private async startWorker(worker: Worker): Promise<void> {
    const o = this.options;
    const start: WorkerStart = {
      workerIndex: worker.index,
      workers: o.workers,
      profile: o.profile.document,
      options: {
        faults: this.specs,
        seed: o.seed,
        adminToken: o.adminToken,
        tls: o.tls,
        token: o.token,
        slowConsumerBytes: o.slowConsumerBytes,
        maxClientFrameBytes: o.maxClientFrameBytes,
      },
    };
    await worker.rpc.request('start', start, START_TIMEOUT_MS);
  }

  private onStats(worker: Worker, body: { stats: ProcessStats; lags: number[] }): void {
    worker.stats = body.stats;
    // Pooled: each worker has its own write loop, so its own lateness.
    for (const lag of body.lags) {
      if (this.lags.length < LAG_RING) this.lags.push(lag);
      else this.lags[this.lagNext] = lag;
      this.lagNext = (this.lagNext + 1) % LAG_RING;
    }
  }
}
