import type { TargetProfile } from '../profile/index.js';
import type { SimulatorStats } from './metrics.js';
import { resolveOptions, type SimulatorOptions } from './options.js';
import { Simulator } from './simulator.js';

/**
 * The reference simulator as a library: the load run's embedded default, the
 * tests' target, and `livestream-bench serve`.
 */

export type { SimulatorOptions } from './options.js';
export type { LagSummary, SimulatorStats } from './metrics.js';
export { DEFAULT_HOST, DEFAULT_SEED, DEFAULT_SLOW_CONSUMER_BYTES } from './options.js';
export { formatFaults, parseFaults, type FaultSet } from './fault-spec.js';
export { CLOSE } from './sessions.js';

export interface RunningSimulator {
  /** ws:// URL of the stream, e.g. ws://127.0.0.1:9003/api/v11/live/stream */
  readonly url: string;
  /** http:// origin of the REST routes (snapshot, /q/health, /metrics, /admin/). */
  readonly httpUrl: string;
  readonly host: string;
  readonly port: number;
  readonly profile: TargetProfile;
  /** Bearer token of the admin API. */
  readonly adminToken: string;
  stats(): SimulatorStats & { readonly legacyRetained: number };
  /** Recent tick send lags (write-loop end minus scheduled tick), ms, oldest first. */
  sendLags(): number[];
  /** The faults in force, as canonical spec strings. */
  faults(): string[];
  /** Replaces every fault; throws BenchError LSB_USAGE on a bad spec. */
  setFaults(specs: readonly string[]): void;
  /** Closes every connection (1001) and the server. */
  close(): Promise<void>;
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts a simulator; resolves once it listens. Bad options reject with LSB_USAGE. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const resolved = resolveOptions(options);
  const sim = new Simulator(resolved);
  const address = await sim.listen();
  // A wildcard listener is reached over loopback.
  const reach = resolved.host === '0.0.0.0' ? '127.0.0.1' : resolved.host === '::' ? '::1' : resolved.host;
  const host = urlHost(reach);
  const httpUrl = `http://${host}:${address.port}`;
  return {
    url: `ws://${host}:${address.port}${resolved.profile.path}`,
    httpUrl,
    host: resolved.host,
    port: address.port,
    profile: resolved.profile,
    adminToken: sim.adminToken,
    stats: () => sim.stats(),
    sendLags: () => sim.sendLags(),
    faults: () => sim.faults(),
    setFaults: (specs) => sim.setFaults(specs),
    close: () => sim.close(),
  };
}
