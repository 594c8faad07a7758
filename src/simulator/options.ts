import { randomBytes } from 'node:crypto';
import { usageError } from '../errors.js';
import { aurigraphV11, type TargetProfile } from '../profile/index.js';

export interface SimulatorOptions {
  /** Interface to listen on; loopback unless asked otherwise. */
  readonly host?: string;
  /** 0 picks a free port. Default: the profile's development port. */
  readonly port?: number;
  /** Fault specs (see fault-spec.ts), e.g. ['drop=2%', 'latency=300ms']. */
  readonly faults?: readonly string[];
  /** Seeds tick data and fault dice. Processes with the same seed send the same values. */
  readonly seed?: number;
  /** Bearer token of the admin API. Default: random (see `adminToken` on the handle). */
  readonly adminToken?: string;
  readonly profile?: TargetProfile;
  /** Unsent bytes a client may hold before it is closed as a slow consumer. */
  readonly slowConsumerBytes?: number;
  /** Largest client frame accepted; larger ones close the connection (1009). */
  readonly maxClientFrameBytes?: number;
}

export interface ResolvedOptions {
  readonly host: string;
  readonly port: number;
  readonly faults: readonly string[];
  readonly seed: number;
  readonly adminToken: string;
  readonly profile: TargetProfile;
  readonly slowConsumerBytes: number;
  readonly maxClientFrameBytes: number;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_SEED = 0;
export const DEFAULT_SLOW_CONSUMER_BYTES = 1024 * 1024;
/** Client messages are a few dozen bytes; 16 KiB is generous and keeps floods cheap. */
export const DEFAULT_MAX_CLIENT_FRAME_BYTES = 16 * 1024;

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) throw usageError(`${name} must be a positive whole number, got ${value}`);
  return value;
}

export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const profile = options.profile ?? aurigraphV11;
  const port = options.port ?? profile.defaultPort;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`port must be 0-65535, got ${port}`);
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) throw usageError(`seed must be a whole number, got ${seed}`);
  if (options.adminToken !== undefined && options.adminToken.trim() === '') throw usageError('admin token must not be empty');
  if (profile.channels.length > 31) throw usageError(`profile ${profile.name} has over 31 channels`);
  return {
    host: options.host ?? DEFAULT_HOST,
    port,
    faults: options.faults ?? [],
    seed: seed >>> 0,
    adminToken: options.adminToken ?? randomBytes(18).toString('base64url'),
    profile,
    slowConsumerBytes: positiveInt('slowConsumerBytes', options.slowConsumerBytes, DEFAULT_SLOW_CONSUMER_BYTES),
    maxClientFrameBytes: positiveInt('maxClientFrameBytes', options.maxClientFrameBytes, DEFAULT_MAX_CLIENT_FRAME_BYTES),
  };
}
