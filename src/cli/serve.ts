import type { Command } from 'commander';
import { usageError } from '../errors.js';
import { aurigraphV11 } from '../profile/index.js';

/**
 * `livestream-bench serve`: wires flags to startSimulator and stays up until
 * SIGINT or SIGTERM, then closes every connection (1001) and exits 0.
 *
 * stdout, line 1 (scripts parse the ws:// URL from it):
 *   livestream-bench simulator listening on ws://127.0.0.1:9003/api/v11/live/stream
 * stdout, line 2: the REST routes. stderr: a generated admin token and the
 * faults in force. A token given with --admin-token is never echoed.
 */

interface ServeFlags {
  host: string;
  port: string;
  fault: string[];
  seed: string;
  adminToken?: string;
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
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on; 0 picks a free one', String(aurigraphV11.defaultPort))
    .option('--fault <spec>', 'inject a fault, e.g. drop=2%, latency=300ms, legacy (repeatable; see docs/simulator.md)', collect, [])
    .option('--seed <n>', 'seed of tick data and fault dice (same seed, same values)', '0')
    .option('--admin-token <token>', 'bearer token of the admin API (default: random, shown on stderr)')
    .action(async (flags: ServeFlags) => {
      const options = {
        host: flags.host,
        port: parsePort(flags.port),
        faults: flags.fault,
        seed: parseSeed(flags.seed),
        adminToken: flags.adminToken,
      };
      // Loaded lazily: `run` and `--help` need none of it.
      const { startSimulator } = await import('../simulator/index.js');
      const sim = await startSimulator(options);
      const signal = untilSignal();
      process.stdout.write(`livestream-bench simulator listening on ${sim.url}\n`);
      process.stdout.write(
        `  snapshot ${sim.httpUrl}${sim.profile.fallbackPath ?? ''}  health ${sim.httpUrl}/q/health  ` +
          `metrics ${sim.httpUrl}/metrics  admin ${sim.httpUrl}/admin/faults\n`,
      );
      if (flags.adminToken === undefined) process.stderr.write(`admin token: ${sim.adminToken}\n`);
      const faults = sim.faults();
      if (faults.length > 0) process.stderr.write(`faults: ${faults.join(' ')}\n`);
      await signal;
      await sim.close();
    });
}
