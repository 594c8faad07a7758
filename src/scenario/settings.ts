import { BenchError } from '../errors.js';
import { DEFAULT_PROFILE, findProfile, profileNames } from '../profile/index.js';
import { DEFAULT_POLICY, type ReconnectPolicy } from './backoff.js';
import type { Slice } from './slice.js';
import { chaosProblems, stageProblems, type ChaosSettings, type Stage } from './stages.js';

/** Threshold lines keyed by criterion id, as their source text; the verdict parses them. */
export type ThresholdTexts = Readonly<Record<string, string>>;

/** Everything a run needs, after flags and scenario files are resolved. */
export interface RunSettings {
  /** ws:// or wss:// URL; undefined starts the embedded simulator. */
  target?: string;
  profile: string;
  clients: number;
  durationMs: number;
  rampMs: number;
  /** Channels every client receives: the profile's self-starting ones plus these are subscribed. */
  channels: string[];
  /** Extra upgrade headers (Authorization, ...). Never reported. */
  headers: Record<string, string>;
  insecure: boolean;
  /** PEM text of extra CAs to trust. */
  ca?: string;
  connectTimeoutMs: number;
  closeTimeoutMs: number;
  policy: ReconnectPolicy;
  /** `concurrency` needs at least this many clients held. */
  minClients: number;
  /** Faults for the embedded simulator (`serve --fault`). */
  simulatorFaults: string[];
  seed?: number;
  /**
   * Limits the verdict judges against, as a scenario writes them, keyed by
   * criterion id (`{ latency: 'p99 < 250ms' }`); the defaults for the rest.
   * `concurrency`'s line is the run's `minClients`: reading a scenario file
   * sets that field from it.
   */
  thresholds?: ThresholdTexts;
  /** Ramp-up, hold and ramp-down stages; when set they stand in for the ramp and the steady phase. */
  stages?: Stage[];
  /** Connections the harness cuts on purpose, for the `reconnect` criterion. */
  chaos?: ChaosSettings;
  /** REST endpoint that polling falls back to (`--fallback-url`). */
  fallbackUrl?: string;
  /** Local process of the target to sample CPU and memory from (`--server-pid`). */
  serverPid?: number;
  /** Prometheus endpoint of the target (`--metrics-url`). */
  metricsUrl?: string;
  /** Largest frame a client accepts; a larger one is an `oversized_frame` violation. */
  maxFrameBytes: number;
  /** Share (0..1] of clients that run every check; the rest keep cheap accounting (--check-sample). */
  checkSample?: number;
  /**
   * Loopback destination addresses to spread clients over (127.0.0.1,
   * 127.0.0.2, ...): one address:port runs out of ephemeral ports near
   * 28,000 connections and slows well before. Default: one per 10,000
   * clients for the embedded simulator and loopback targets.
   */
  spread?: number;
  /** The protocol probe client runs beside the load (default on). */
  probes?: boolean;
  /** Worker processes on this machine; default from the client count and the cores. */
  workers?: number;
  /** This run is one shard of a run split across machines (`--shard i/n`). */
  shard?: Slice;
}

/**
 * The defaults are the Phase 3B gate: among them a chaos round that cuts
 * 10 % of the clients (half with a close frame, half by destroying the
 * socket) a third into the steady phase, so `reconnect` is judged.
 */
export const DEFAULT_CHAOS: ChaosSettings = { cutShare: 0.1, mode: 'both' };

export const DEFAULTS: Omit<RunSettings, 'channels' | 'headers' | 'simulatorFaults'> = {
  profile: DEFAULT_PROFILE,
  clients: 10,
  durationMs: 30_000,
  rampMs: 5_000,
  insecure: false,
  connectTimeoutMs: 10_000,
  closeTimeoutMs: 2_000,
  policy: DEFAULT_POLICY,
  minClients: 10,
  chaos: DEFAULT_CHAOS,
  // messages of the stream are a few hundred bytes; 1 MiB leaves room and bounds memory
  maxFrameBytes: 1024 * 1024,
};

export function defaultSettings(overrides: Partial<RunSettings> = {}): RunSettings {
  const profile = findProfile(overrides.profile ?? DEFAULT_PROFILE);
  return {
    ...DEFAULTS,
    channels: profile ? profile.channels.map((c) => c.channel) : [],
    headers: {},
    simulatorFaults: [],
    ...overrides,
  };
}

/** Every problem with the settings, each one line naming the field; empty when valid. */
export function settingsProblems(s: RunSettings): string[] {
  const problems: string[] = [];
  const profile = findProfile(s.profile);
  if (!profile) problems.push(`profile ${JSON.stringify(s.profile)} is unknown (known: ${profileNames().join(', ')})`);
  if (!Number.isInteger(s.clients) || s.clients < 1) problems.push(`clients must be a whole number >= 1 (got ${s.clients})`);
  if (!(s.durationMs > 0)) problems.push(`duration must be more than 0 (got ${s.durationMs} ms)`);
  if (!(s.rampMs >= 0)) problems.push(`ramp must be 0 or more (got ${s.rampMs} ms)`);
  if (!(s.connectTimeoutMs > 0)) problems.push(`connect timeout must be more than 0`);
  if (s.target !== undefined) {
    let u: URL | undefined;
    try {
      u = new URL(s.target);
    } catch {
      problems.push(`target ${JSON.stringify(s.target)} is not a URL (expected ws://host:port/path or wss://...)`);
    }
    if (u && u.protocol !== 'ws:' && u.protocol !== 'wss:') problems.push(`target must be a ws:// or wss:// URL (got ${u.protocol}//)`);
  }
  if (profile) {
    const known = new Set(profile.channels.map((c) => c.channel));
    for (const c of s.channels) if (!known.has(c)) problems.push(`channel ${JSON.stringify(c)} is unknown (known: ${[...known].join(', ')})`);
  }
  const p = s.policy;
  if (!(p.initialMs >= 0 && p.factor >= 1 && p.maxMs >= p.initialMs && Number.isInteger(p.maxAttempts) && p.maxAttempts >= 0 && p.jitter >= 0 && p.jitter <= 1)) {
    problems.push('reconnect policy must have initial >= 0, factor >= 1, cap >= initial, attempts a whole number >= 0, jitter 0..1');
  }
  if (!Number.isInteger(s.minClients) || s.minClients < 1) problems.push(`minimum clients must be a whole number >= 1`);
  if (!Number.isInteger(s.maxFrameBytes) || s.maxFrameBytes < 1024) problems.push(`max frame must be at least 1 KiB (got ${s.maxFrameBytes} bytes)`);
  if (s.workers !== undefined && (!Number.isInteger(s.workers) || s.workers < 1 || s.workers > 64)) problems.push(`workers must be a whole number from 1 to 64 (got ${s.workers})`);
  if (s.shard && !(Number.isInteger(s.shard.index) && Number.isInteger(s.shard.count) && s.shard.index >= 0 && s.shard.index < s.shard.count)) problems.push('shard must be i/n with 1 <= i <= n');
  if (s.checkSample !== undefined && !(s.checkSample > 0 && s.checkSample <= 1)) problems.push(`check sample must be more than 0 and at most 1 (got ${s.checkSample})`);
  if (s.spread !== undefined && (!Number.isInteger(s.spread) || s.spread < 1 || s.spread > 254)) problems.push(`spread must be a whole number of addresses from 1 to 254 (got ${s.spread})`);
  if (s.stages) problems.push(...stageProblems(s.stages));
  if (s.chaos) problems.push(...chaosProblems(s.chaos));
  return problems;
}

/** Throws one usage error listing every problem. */
export function assertValid(s: RunSettings): RunSettings {
  const problems = settingsProblems(s);
  if (problems.length > 0) throw new BenchError('LSB_USAGE', problems.join('; '));
  return s;
}
