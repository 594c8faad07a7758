import { randomBytes } from 'node:crypto';
import { usageError } from '../errors.js';
import { defaultProfile, loadProfile, type TargetProfile } from '../profile/index.js';

/** PEM text (or its bytes) of the certificate chain and private key for wss:// and https://. */
export interface TlsOptions {
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
}

export interface SimulatorOptions {
  /**
   * Address(es) to listen on; loopback unless asked otherwise. Several
   * addresses share one port (see listeners.ts): clients can spread over
   * 127.0.0.1, 127.0.0.2, ... to get past one destination's ephemeral ports.
   */
  readonly host?: string | readonly string[];
  /** 0 picks a free port. Default: the profile's development port. */
  readonly port?: number;
  /** Fault specs (see fault-spec.ts), e.g. ['drop=2%', 'latency=300ms']. */
  readonly faults?: readonly string[];
  /** Seeds tick data and fault dice. Processes with the same seed send the same values. */
  readonly seed?: number;
  /** Bearer token of the admin API. Default: random (see `adminToken` on the handle). */
  readonly adminToken?: string;
  /** Serve wss:// and https:// instead of ws:// and http://, on the same port. */
  readonly tls?: TlsOptions;
  /**
   * Clients must present this token on the upgrade and on the snapshot
   * (`Authorization: Bearer <t>` or `?token=<t>`), else HTTP 401.
   * `/q/health` and `/metrics` stay open. Default: none asked.
   */
  readonly token?: string;
  /**
   * Simulator processes. 1 (the default) serves in this process; N > 1 forks
   * N worker processes that accept from listening sockets this process opens
   * and passes them (see cluster.ts). Needs the built `dist/`.
   */
  readonly workers?: number;
  /**
   * The stream to serve: a profile, or a built-in's name or a profile file
   * (YAML/JSON) as `--profile` takes them. Default: the default profile.
   */
  readonly profile?: TargetProfile | string;
  /** Unsent bytes a client may hold before it is closed as a slow consumer. */
  readonly slowConsumerBytes?: number;
  /** Largest client frame accepted; larger ones close the connection (1009). */
  readonly maxClientFrameBytes?: number;
}

export interface ResolvedOptions {
  readonly hosts: readonly string[];
  readonly port: number;
  readonly faults: readonly string[];
  readonly seed: number;
  readonly adminToken: string;
  readonly tls: { readonly cert: string; readonly key: string } | undefined;
  readonly token: string | undefined;
  readonly workers: number;
  readonly profile: TargetProfile;
  readonly slowConsumerBytes: number;
  readonly maxClientFrameBytes: number;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_SEED = 0;
export const DEFAULT_SLOW_CONSUMER_BYTES = 1024 * 1024;
/** Client messages are a few dozen bytes; 16 KiB is generous and keeps floods cheap. */
export const DEFAULT_MAX_CLIENT_FRAME_BYTES = 16 * 1024;
/** More processes than this is a typo, not a plan (each costs ~40 MB). */
export const MAX_WORKERS = 64;

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) throw usageError(`${name} must be a positive whole number, got ${value}`);
  return value;
}

function hostList(host: string | readonly string[] | undefined): string[] {
  const hosts = (host === undefined ? [DEFAULT_HOST] : typeof host === 'string' ? host.split(',') : [...host]).map((h) => h.trim());
  if (hosts.length === 0 || hosts.some((h) => h === '')) throw usageError(`host must name at least one address, got "${String(host)}"`);
  const seen = new Set<string>();
  for (const h of hosts) {
    if (seen.has(h)) throw usageError(`host lists ${h} twice`);
    seen.add(h);
  }
  return hosts;
}

function pem(name: string, value: string | Buffer | undefined): string {
  const text = Buffer.isBuffer(value) ? value.toString('utf8') : value;
  if (typeof text !== 'string' || !text.includes('-----BEGIN ')) throw usageError(`tls.${name} must be PEM text (-----BEGIN ...)`);
  return text;
}

export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const profile = typeof options.profile === 'string' ? loadProfile(options.profile) : (options.profile ?? defaultProfile());
  const port = options.port ?? profile.defaultPort;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`port must be 0-65535, got ${port}`);
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) throw usageError(`seed must be a whole number, got ${seed}`);
  if (options.adminToken !== undefined && options.adminToken.trim() === '') throw usageError('admin token must not be empty');
  if (options.token !== undefined && options.token.trim() === '') throw usageError('token must not be empty');
  if (profile.channels.length > 31) throw usageError(`profile ${profile.name} has over 31 channels`);
  const workers = positiveInt('workers', options.workers, 1);
  if (workers > MAX_WORKERS) throw usageError(`workers must be at most ${MAX_WORKERS}, got ${workers}`);
  return {
    hosts: hostList(options.host),
    port,
    faults: options.faults ?? [],
    seed: seed >>> 0,
    adminToken: options.adminToken ?? randomBytes(18).toString('base64url'),
    tls: options.tls ? { cert: pem('cert', options.tls.cert), key: pem('key', options.tls.key) } : undefined,
    token: options.token,
    workers,
    profile,
    slowConsumerBytes: positiveInt('slowConsumerBytes', options.slowConsumerBytes, DEFAULT_SLOW_CONSUMER_BYTES),
    maxClientFrameBytes: positiveInt('maxClientFrameBytes', options.maxClientFrameBytes, DEFAULT_MAX_CLIENT_FRAME_BYTES),
  };
}
