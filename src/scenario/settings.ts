import { BenchError } from '../errors.js';
import { DEFAULT_PROFILE, findProfile } from '../profile/index.js';
import { OPTIONS } from './options.js';
import { DEFAULT_POLICY, type ReconnectPolicy } from './backoff.js';
import type { Slice } from './slice.js';
import type { AdvisoryId } from './advisory-ids.js';
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
  /** A skipped criterion fails the gate (`--strict`): a release gate measures everything. */
  strict?: boolean;
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
  /** Advisories that fail the run when found (`failOn: [unknown_channel]`); otherwise they never change the verdict. */
  failOn?: AdvisoryId[];
  /** Ramp-up, hold and ramp-down stages; when set they stand in for the ramp and the steady phase. */
  stages?: Stage[];
  /** Connections the harness cuts on purpose, for the `reconnect` criterion. */
  chaos?: ChaosSettings;
  /** Connections closed and at once reopened a second through the steady phase (`--churn 5/s`; churn-plan.ts). */
  churnPerSecond?: number;
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
  /** The frontend page real browsers open while the load runs (`--page`); `true`: the embedded simulator's dashboard. */
  page?: string | true;
  /** Browsers to open it in: `chromium`, `firefox` or a path (`--browser`; default chromium). */
  browsers?: string[];
  /** The page element whose text must change as data arrives (`--watch`). */
  watch?: string;
  /** Pages each browser opens beside the refused-socket one (`--page-count`; default 1). */
  pageCount?: number;
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

/**
 * Every problem with settings made in code, each one line naming the
 * setting by its scenario key; empty when valid. Each setting is checked by
 * its option's kind (options.ts), as flags and scenario files are, then
 * what spans settings: channels of the profile, stages, chaos.
 */
export function settingsProblems(s: RunSettings): string[] {
  const problems: string[] = [];
  for (const o of OPTIONS) {
    const value = (s as unknown as Record<string, unknown>)[o.field];
    if (value === undefined || !o.kind.check || !(o.field in s)) continue;
    const why = o.kind.check(value);
    if (why) problems.push(`${o.key ?? o.field} ${why}`);
  }
  const profile = findProfile(s.profile);
  if (profile) {
    const known = new Set(profile.channels.map((c) => c.channel));
    for (const c of s.channels) if (!known.has(c)) problems.push(`channel ${JSON.stringify(c)} is unknown (known: ${[...known].join(', ')})`);
  }
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
