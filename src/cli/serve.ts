import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { Command } from 'commander';
import { usageError } from '../errors.js';
import { fileProblem } from '../read-input.js';
import { adoptProfile, DEFAULT_PROFILE, loadProfile, prepareProfile, PROFILE_DOCUMENT_ENV, type ProfileDocument, type TargetProfile } from '../profile/index.js';

/**
 * `livestream-bench serve`: wires flags to startSimulator and stays up until
 * SIGINT or SIGTERM, then closes every connection (1001) and exits 0.
 *
 * stdout, line 1 (scripts parse the URL from it with /wss?:\/\/\S+/):
 *   livestream-bench simulator listening on ws://127.0.0.1:<port><the profile's path>
 * stdout, line 2: the stream's URL on every address (--host a,b,c).
 * stdout, line 3: the REST routes. stderr: a generated admin token, the
 * faults in force, the worker pids. Tokens given as flags are never echoed.
 */

interface ServeFlags {
  profile: string;
  host: string;
  port?: string;
  fault: string[];
  seed: string;
  adminToken?: string;
  token?: string;
  tlsCert?: string;
  tlsKey?: string;
  workers: string;
}

/**
 * The profile to serve: handed by value by a parent run (the embedded
 * simulator), else a built-in by name or a file, checked here.
 */
function profileFrom(ref: string): TargetProfile {
  const handed = process.env[PROFILE_DOCUMENT_ENV];
  if (handed) return adoptProfile(ref, JSON.parse(handed) as ProfileDocument);
  return loadProfile(ref);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parsePort(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535) throw usageError(`--port must be 0-65535, got "${text}"`);
  return Number(text);
}

function parseSeed(text: string): number {
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw usageError(`--seed must be a whole number, got "${text}"`);
  return Number(text);
}

function parseWorkers(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw usageError(`--workers must be a whole number >= 1, got "${text}"`);
  return Number(text);
}

function readPem(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw usageError(`${flag} ${path}: ${fileProblem(err)}`);
  }
}

function tlsFrom(flags: ServeFlags): { cert: string; key: string } | undefined {
  if (flags.tlsCert === undefined && flags.tlsKey === undefined) return undefined;
  if (flags.tlsCert === undefined || flags.tlsKey === undefined) throw usageError('--tls-cert and --tls-key go together');
  const pair = { cert: readPem('--tls-cert', flags.tlsCert), key: readPem('--tls-key', flags.tlsKey) };
  if (!pair.cert.includes('-----BEGIN ')) throw usageError(`--tls-cert ${flags.tlsCert} is not a PEM file (-----BEGIN CERTIFICATE-----)`);
  if (!pair.key.includes('-----BEGIN ')) throw usageError(`--tls-key ${flags.tlsKey} is not a PEM file (-----BEGIN PRIVATE KEY-----)`);
  try {
    // a key of another certificate is bad usage, not an internal error when the server starts
    createSecureContext(pair);
  } catch (err) {
    const reason = ((err as Error).message.split(':').pop() ?? '').trim() || 'not a certificate and its key';
    throw usageError(`--tls-cert ${flags.tlsCert} and --tls-key ${flags.tlsKey} cannot be used together: ${reason}`);
  }
  return pair;
}

/** Resolves on the first SIGINT or SIGTERM. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the reference simulator of the stream (first stdout line: its ws:// URL)')
    .option('--profile <name|file>', 'the stream to serve: a built-in profile or a profile file (YAML or JSON)', DEFAULT_PROFILE)
    .option('--host <list>', 'address(es) to listen on, comma-separated, one port for all (e.g. 127.0.0.1,127.0.0.2)', '127.0.0.1')
    .option('--port <port>', "port to listen on; 0 picks a free one (default: the profile's defaultPort)")
    .option('--fault <spec>', 'inject a fault, e.g. drop=2%, latency=300ms, legacy, leak=20, cpu=30% (repeatable; see docs/simulator.md)', collect, [])
    .option('--seed <n>', 'seed of tick data and fault dice (same seed, same values)', '0')
    .option('--admin-token <token>', 'bearer token of the admin API (default: random, shown on stderr)')
    .option('--token <token>', 'clients must present it on the stream and snapshot (Authorization: Bearer, or ?token=)')
    .option('--tls-cert <pem>', 'certificate chain (PEM file): serve wss:// and https://')
    .option('--tls-key <pem>', 'private key (PEM file) of --tls-cert')
    .option('--workers <n>', 'simulator processes; they share the listening sockets', '1')
    .action(async (flags: ServeFlags) => {
      if (!process.env[PROFILE_DOCUMENT_ENV]) await prepareProfile(flags.profile, '--profile');
      const profile = profileFrom(flags.profile);
      const options = {
        profile,
        host: flags.host,
        port: flags.port === undefined ? profile.defaultPort : parsePort(flags.port),
        faults: flags.fault,
        seed: parseSeed(flags.seed),
        adminToken: flags.adminToken,
        token: flags.token,
        tls: tlsFrom(flags),
        workers: parseWorkers(flags.workers),
      };
      // Loaded lazily: `run` and `--help` need none of it.
      const { startSimulator } = await import('../simulator/index.js');
      const sim = await startSimulator(options);
      const signal = untilSignal();
      process.stdout.write(`livestream-bench simulator listening on ${sim.url}\n`);
      process.stdout.write(`  streams ${sim.urls.join(' ')}\n`);
      process.stdout.write(
        `  snapshot ${sim.httpUrl}${sim.profile.fallbackPath ?? ''}  health ${sim.httpUrl}/q/health  ` +
          `metrics ${sim.httpUrl}/metrics  admin ${sim.httpUrl}/admin/faults\n`,
      );
      if (flags.adminToken === undefined) process.stderr.write(`admin token: ${sim.adminToken}\n`);
      const faults = sim.faults();
      if (faults.length > 0) process.stderr.write(`faults: ${faults.join(' ')}\n`);
      if (sim.workers > 1) process.stderr.write(`workers: ${sim.workers} (pids ${sim.pids.join(' ')})\n`);
      await signal;
      await sim.close();
    });
}
