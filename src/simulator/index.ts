import type { TargetProfile } from '../profile/index.js';
import { SimulatorCluster, type WorkerInfo } from './cluster.js';
import { Listeners } from './listeners.js';
import { resolveOptions, type ResolvedOptions, type SimulatorOptions } from './options.js';
import { Simulator, type ProcessStats } from './simulator.js';

/**
 * The reference simulator as a library: the load run's embedded default, the
 * tests' target, and `livestream-bench serve`.
 */

export type { SimulatorOptions, TlsOptions } from './options.js';
export type { LagSummary, SimulatorStats } from './metrics.js';
export type { ProcessStats } from './simulator.js';
export type { WorkerInfo } from './cluster.js';
export { DEFAULT_HOST, DEFAULT_SEED, DEFAULT_SLOW_CONSUMER_BYTES } from './options.js';
export { formatFaults, parseFaults, type FaultSet } from '../source/fault-spec.js';
export { RETAIN_CAP_BYTES } from './resource-faults.js';
export { CLOSE } from './sessions.js';

export interface RunningStats extends ProcessStats {
  /** With workers: each process, its pid and its open connections. */
  readonly workers?: readonly WorkerInfo[];
}

export interface RunningSimulator {
  /** URL of the stream on the first address: ws://<host>:<port><the profile's path> (wss:// with TLS) */
  readonly url: string;
  /** The stream's URL on every address listened on, first one first. */
  readonly urls: readonly string[];
  /** http(s):// origin of the REST routes (snapshot, /q/health, /metrics, /admin/) on the first address. */
  readonly httpUrl: string;
  readonly httpUrls: readonly string[];
  /** The first address listened on (see `hosts`). */
  readonly host: string;
  readonly hosts: readonly string[];
  readonly port: number;
  readonly profile: TargetProfile;
  /** Bearer token of the admin API. */
  readonly adminToken: string;
  /** Processes serving the stream: 1, or the worker count. */
  readonly workers: number;
  /** Pids of the processes whose CPU and memory are the simulator's (this one, or the workers). */
  readonly pids: readonly number[];
  /** With workers, merged from every worker's last report (at most 0.5 s old). */
  stats(): RunningStats;
  /** Recent tick send lags (write-loop end minus scheduled tick), ms, oldest first. */
  sendLags(): number[];
  /** The faults in force, as canonical spec strings. */
  faults(): string[];
  /**
   * Replaces every fault. A bad spec throws BenchError LSB_USAGE at once and
   * changes nothing; the promise resolves once every process applies it
   * (in one process, before this returns).
   */
  setFaults(specs: readonly string[]): Promise<void>;
  /** Closes every connection (1001), the listeners and any worker processes. */
  close(): Promise<void>;
}

function urlHost(host: string): string {
  // A wildcard listener is reached over loopback.
  const reach = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return reach.includes(':') ? `[${reach}]` : reach;
}

function addresses(o: ResolvedOptions, port: number) {
  const [ws, http] = o.tls ? ['wss', 'https'] : ['ws', 'http'];
  const httpUrls = o.hosts.map((h) => `${http}://${urlHost(h)}:${port}`);
  const urls = o.hosts.map((h) => `${ws}://${urlHost(h)}:${port}${o.profile.path}`);
  return { url: urls[0], urls, httpUrl: httpUrls[0], httpUrls, host: o.hosts[0], hosts: o.hosts, port, profile: o.profile, adminToken: o.adminToken };
}

/**
 * Starts a simulator; resolves once it listens. Bad options, and a host that
 * does not resolve or is not this machine's, reject with LSB_USAGE; an
 * address it cannot bind otherwise (a port in use) with LSB_HARNESS.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const resolved = resolveOptions(options);
  if (resolved.workers > 1) return startCluster(resolved);
  const sim = new Simulator(resolved);
  const listeners = new Listeners({ hosts: resolved.hosts, port: resolved.port }, (socket) => sim.accept(socket));
  const port = await listeners.open();
  sim.start();
  return {
    ...addresses(resolved, port),
    workers: 1,
    pids: [process.pid],
    stats: () => sim.stats(),
    sendLags: () => sim.sendLags(),
    faults: () => sim.faults(),
    setFaults: (specs) => {
      sim.setFaults(specs);
      return Promise.resolve();
    },
    close: async () => {
      // The listeners' close waits for the sockets they accepted, which sim.close ends.
      const stopped = listeners.close();
      await sim.close();
      await stopped;
    },
  };
}

async function startCluster(resolved: ResolvedOptions): Promise<RunningSimulator> {
  const cluster = new SimulatorCluster(resolved);
  const port = await cluster.start();
  return {
    ...addresses(resolved, port),
    workers: resolved.workers,
    get pids() {
      return cluster.workerInfo().map((w) => w.pid);
    },
    stats: () => cluster.stats(),
    sendLags: () => cluster.sendLags(),
    faults: () => cluster.faults(),
    setFaults: (specs) => cluster.setFaults(specs),
    close: () => cluster.close(),
  };
}
