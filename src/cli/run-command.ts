import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { POLICY_PRESETS, type ReconnectPolicy } from '../scenario/backoff.js';
import { BenchError, usageError } from '../errors.js';
import type { Scenario } from '../scenario/file.js';
import { overrideStages } from '../scenario/override.js';
import { parseDuration } from '../scenario/duration.js';
import { assertValid, defaultSettings, type RunSettings } from '../scenario/settings.js';
import { parseSize } from '../scenario/size.js';
import { parseSlice } from '../scenario/slice.js';
import { findProfile } from '../profile/index.js';
import { parseFaults } from '../simulator/fault-spec.js';
import type { ChaosSettings } from '../scenario/stages.js';
import { EXIT, exitForVerdict } from './exit-codes.js';

export interface RunFlags {
  target?: string;
  clients?: string;
  duration?: string;
  ramp?: string;
  scenario?: string;
  channels?: string;
  header: string[];
  tokenEnv?: string;
  insecure?: boolean;
  ca?: string;
  connectTimeout?: string;
  reconnect?: string;
  minClients?: string;
  simFault: string[];
  seed?: string;
  chaos?: string;
  workers?: string;
  shard?: string;
  checkSample?: string;
  spread?: string;
  maxFrame?: string;
  /** commander's --no-probes */
  probes?: boolean;
  profile?: string;
  fallbackUrl?: string;
  serverPid?: string;
  metricsUrl?: string;
  out?: string;
  json?: boolean;
  format?: string;
  baseline?: string;
  saveBaseline?: string;
  tolerance: string[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

function wholeNumber(text: string, what: string, min = 0): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < min) throw usageError(`${what} must be a whole number >= ${min} (got ${JSON.stringify(text)})`);
  return Number(text);
}

/** Why PEM text holds no usable certificate, or undefined when it does. */
function pemCertificateProblem(pem: string): string | undefined {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!blocks) return 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)';
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch {
      return 'holds a certificate that cannot be parsed';
    }
  }
  return undefined;
}

function parseHeader(text: string): [string, string] {
  const i = text.indexOf(':');
  if (i <= 0) throw usageError(`--header must look like "Name: value" (got a value without a name)`);
  return [text.slice(0, i).trim(), text.slice(i + 1).trim()];
}

/** `--reconnect portal`, or `--reconnect 1s,x2,10s,5[,jitter=0.2]`. */
export function parsePolicy(text: string): ReconnectPolicy {
  const preset = POLICY_PRESETS[text];
  if (preset) return preset;
  const parts = text.split(',').map((p) => p.trim());
  const bad = () => usageError(`--reconnect must be a preset (${Object.keys(POLICY_PRESETS).join(', ')}) or "initial,xFactor,cap,attempts[,jitter=J]" such as 1s,x2,10s,5 (got ${JSON.stringify(text)})`);
  if (parts.length < 4 || !parts[1].startsWith('x')) throw bad();
  const factor = Number(parts[1].slice(1));
  const jitter = parts[4]?.startsWith('jitter=') ? Number(parts[4].slice(7)) : 0;
  if (!Number.isFinite(factor) || !Number.isFinite(jitter)) throw bad();
  return { initialMs: parseDuration(parts[0], '--reconnect initial delay'), factor, maxMs: parseDuration(parts[2], '--reconnect cap'), maxAttempts: wholeNumber(parts[3], '--reconnect attempts'), jitter };
}

/**
 * `--chaos off`, or `--chaos cut=10%[,mode=close|drop|both][,at=10s][,every=20s]`.
 */
export function parseChaos(text: string): ChaosSettings | undefined {
  if (text === 'off' || text === 'none') return undefined;
  const bad = (why: string) => usageError(`--chaos ${why}; expected off or cut=<p>%[,mode=close|drop|both][,at=<time>][,every=<time>] (got ${JSON.stringify(text)})`);
  const out: ChaosSettings = { cutShare: NaN, mode: 'both' };
  for (const part of text.split(',')) {
    const [k, v] = part.split('=').map((x) => x.trim());
    if (k === 'cut') {
      const m = /^(\d+(?:\.\d+)?)%$/.exec(v ?? '');
      if (!m) throw bad('cut must be a share such as 10%');
      out.cutShare = Number(m[1]) / 100;
    } else if (k === 'mode') out.mode = v as ChaosSettings['mode'];
    else if (k === 'at') out.atMs = parseDuration(v ?? '', '--chaos at');
    else if (k === 'every') out.everyMs = parseDuration(v ?? '', '--chaos every');
    else throw bad(`has an unknown part ${JSON.stringify(k)}`);
  }
  if (Number.isNaN(out.cutShare)) throw bad('needs cut=<p>%');
  return out;
}

/** Turns flags into settings; collects every problem before failing. */
export function settingsFromFlags(flags: RunFlags, scenario?: Scenario): RunSettings {
  const problems: string[] = [];
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof BenchError) problems.push(err.message);
      else throw err;
      return undefined;
    }
  };
  // defaults, then the scenario file, then flags
  const s = defaultSettings({ ...scenario?.settings, ...(flags.profile ? { profile: flags.profile } : {}) });
  if (flags.target !== undefined) s.target = flags.target;
  if (flags.clients !== undefined) s.clients = attempt(() => wholeNumber(flags.clients!, '--clients', 1)) ?? s.clients;
  if (flags.duration !== undefined) s.durationMs = attempt(() => parseDuration(flags.duration!, '--duration')) ?? s.durationMs;
  if (flags.ramp !== undefined) s.rampMs = attempt(() => parseDuration(flags.ramp!, '--ramp')) ?? s.rampMs;
  if (flags.connectTimeout !== undefined) s.connectTimeoutMs = attempt(() => parseDuration(flags.connectTimeout!, '--connect-timeout')) ?? s.connectTimeoutMs;
  if (flags.minClients !== undefined) s.minClients = attempt(() => wholeNumber(flags.minClients!, '--min-clients', 1)) ?? s.minClients;
  if (flags.channels !== undefined) s.channels = flags.channels.split(',').map((c) => c.trim()).filter(Boolean);
  if (flags.reconnect !== undefined) s.policy = attempt(() => parsePolicy(flags.reconnect!)) ?? s.policy;
  if (flags.seed !== undefined) s.seed = attempt(() => wholeNumber(flags.seed!, '--seed'));
  if (flags.fallbackUrl !== undefined) {
    if (!/^https?:\/\//.test(flags.fallbackUrl)) problems.push(`--fallback-url must be an http:// or https:// URL (got ${JSON.stringify(flags.fallbackUrl)})`);
    else s.fallbackUrl = flags.fallbackUrl;
  }
  if (flags.metricsUrl !== undefined) {
    if (!/^https?:\/\//.test(flags.metricsUrl)) problems.push(`--metrics-url must be an http:// or https:// URL (got ${JSON.stringify(flags.metricsUrl)})`);
    else s.metricsUrl = flags.metricsUrl;
  }
  if (flags.serverPid !== undefined) {
    const pid = attempt(() => wholeNumber(flags.serverPid!, '--server-pid', 1));
    if (pid !== undefined && !existsSync(`/proc/${pid}/stat`)) problems.push(`--server-pid ${pid}: no such process on this machine`);
    else if (pid !== undefined) s.serverPid = pid;
  }
  if (flags.probes === false) s.probes = false;
  if (flags.checkSample !== undefined) {
    const v = Number(flags.checkSample.endsWith('%') ? Number(flags.checkSample.slice(0, -1)) / 100 : flags.checkSample);
    if (!(v > 0 && v <= 1)) problems.push(`--check-sample must be a share such as 0.1 or 10% (got ${JSON.stringify(flags.checkSample)})`);
    else s.checkSample = v;
  }
  if (flags.spread !== undefined) s.spread = attempt(() => wholeNumber(flags.spread!, '--spread', 1));
  if (flags.maxFrame !== undefined) s.maxFrameBytes = attempt(() => parseSize(flags.maxFrame!, '--max-frame')) ?? s.maxFrameBytes;
  if (flags.workers !== undefined) s.workers = attempt(() => wholeNumber(flags.workers!, '--workers', 1));
  if (flags.shard !== undefined) {
    const shard = parseSlice(flags.shard);
    if (!shard) problems.push(`--shard must be i/n with 1 <= i <= n, e.g. 2/4 (got ${JSON.stringify(flags.shard)})`);
    else s.shard = shard;
  }
  if (flags.chaos !== undefined) {
    const chaos = attempt(() => ({ value: parseChaos(flags.chaos!) }));
    if (chaos) s.chaos = chaos.value;
  }
  for (const h of flags.header) {
    const kv = attempt(() => parseHeader(h));
    if (kv) s.headers[kv[0]] = kv[1];
  }
  if (flags.tokenEnv !== undefined) {
    const token = process.env[flags.tokenEnv];
    if (!token) problems.push(`--token-env names ${flags.tokenEnv}, which is not set in the environment`);
    else s.headers.Authorization = `Bearer ${token}`;
  }
  if (flags.insecure) s.insecure = true;
  if (flags.ca !== undefined) {
    try {
      s.ca = readFileSync(flags.ca, 'utf8');
      // Node silently ignores a CA that is not PEM, and the run then fails on TLS for a reason the user cannot see
      const why = pemCertificateProblem(s.ca);
      if (why) problems.push(`--ca ${flags.ca} ${why}`);
    } catch (err) {
      problems.push(`--ca ${flags.ca} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  if (flags.simFault.length > 0) s.simulatorFaults = flags.simFault;
  // checked here, so a bad spec is bad usage (exit 2), not a simulator that failed to start (exit 3)
  const faultProfile = findProfile(s.profile);
  if (flags.simFault.length > 0 && faultProfile) attempt(() => parseFaults(flags.simFault, faultProfile));
  if (s.simulatorFaults.length > 0 && s.target) problems.push(`${flags.simFault.length > 0 ? '--sim-fault' : 'the scenario\'s simulator faults'} apply to the embedded simulator only; drop them or drop the target`);
  overrideStages(s, flags);
  const all = [...problems];
  try {
    assertValid(s);
  } catch (err) {
    all.push((err as Error).message);
  }
  if (all.length > 0) throw usageError(all.join('; '));
  return s;
}

function wantsColor(stream: NodeJS.WriteStream): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

/** Runs the load test for the CLI; returns the exit code. */
export async function runCommand(flags: RunFlags): Promise<number> {
  // the engine, the reporters and the scenario parser load only for a run,
  // so `serve`, `validate` and `--help` start quickly; and only once the
  // flags are known good, so a typo costs no more than reading the flags
  const scenario = flags.scenario !== undefined ? (await import('../scenario/file.js')).loadScenario(flags.scenario, process.env, (await import('../verdict/threshold-text.js')).SCENARIO_CHECKS) : undefined;
  const settings = settingsFromFlags(flags, scenario);
  const { DEFAULT_OUT_PARENT, finishReport, runOutputs, writeOutputs } = await import('./run-outputs.js');
  const outputs = runOutputs(flags, scenario);
  const [{ startRun }, { buildReport, runId }, { renderJson }, { progressLine }, { renderTerminal }, { renderComparisonTerminal }] = await Promise.all([
    import('../engine/run.js'),
    import('../verdict/report.js'),
    import('../reporters/json.js'),
    import('../reporters/progress.js'),
    import('../reporters/terminal.js'),
    import('../reporters/compare-terminal.js'),
  ]);
  const human = flags.json ? process.stderr : process.stdout;
  const progress = process.stderr;
  const run = startRun(settings);
  let interrupts = 0;
  // process.exit skips the run's cleanup: the embedded simulator would outlive us, listening
  let embeddedPid: number | undefined;
  run.once('start', (t) => (embeddedPid = t.embedded ? t.pid : undefined));
  const onSignal = () => {
    interrupts += 1;
    if (interrupts > 1) {
      // a second Ctrl-C: leave at once
      if (embeddedPid !== undefined) {
        try {
          process.kill(embeddedPid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      process.exit(EXIT.interrupted);
    }
    progress.write('\ninterrupted: closing clients and writing the partial report (Ctrl-C again to quit now)\n');
    run.interrupt();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let lastPlain = 0;
  run.on('start', (t) => progress.write(`livestream-bench: ${settings.clients} client(s) against ${t.embedded ? 'the embedded simulator' : 'the target'}; ramp ${settings.rampMs / 1000} s, steady ${settings.durationMs / 1000} s\n`));
  run.on('tick', (p) => {
    if (progress.isTTY) progress.write(`\r${progressLine(p)}\x1b[K`);
    else if (p.elapsedMs - lastPlain >= 5000) {
      lastPlain = p.elapsedMs;
      progress.write(`${progressLine(p)}\n`);
    }
  });
  try {
    const result = await run.result;
    if (progress.isTTY) progress.write('\n');
    if (result.abandoned) progress.write(`livestream-bench: cannot connect to the target: ${result.abandoned}\n`);
    const report = finishReport(buildReport(result), outputs);
    const dir = outputs.out ?? join(DEFAULT_OUT_PARENT, runId(result.startedAt));
    const written = writeOutputs(report, dir, outputs);
    human.write(renderTerminal(report, { color: wantsColor(human) }));
    if (report.baseline) human.write(renderComparisonTerminal(report.baseline, { color: wantsColor(human) }));
    if (outputs.saveBaseline && result.interrupted) progress.write(`baseline not saved: an interrupted run is no reference\n`);
    progress.write(`report: ${written.join(', ')}\n`);
    if (flags.json) process.stdout.write(renderJson(report));
    if (result.interrupted) return EXIT.interrupted;
    return exitForVerdict(report.verdict);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export function registerRun(program: Command): void {
  program
    .command('run', { isDefault: true })
    .description('the load run: N clients against the stream, judged against the Phase 3B criteria')
    .option('-t, --target <url>', 'ws:// or wss:// URL of the stream (default: the bundled simulator on a free loopback port)')
    .option('-c, --clients <n>', 'concurrent clients (default 10)')
    .option('-d, --duration <time>', 'steady phase, e.g. 30s, 5m (default 30s)')
    .option('--ramp <time>', 'time over which the clients are opened (default 5s)')
    .option('-s, --scenario <file>', 'a scenario file (YAML or JSON); flags override it')
    .option('--channels <list>', 'comma-separated channels to subscribe (default: all of the profile)')
    .option('--header <header>', 'extra upgrade header "Name: value" (repeatable; never reported)', collect, [])
    .option('--token-env <var>', 'send "Authorization: Bearer $VAR" on the upgrade')
    .option('--insecure', 'accept any TLS certificate')
    .option('--ca <file>', 'trust this PEM CA for wss://')
    .option('--connect-timeout <time>', 'connect (TCP + upgrade) timeout (default 10s)')
    .option('--reconnect <policy>', 'reconnect policy: default, portal, or initial,xFactor,cap,attempts')
    .option('--min-clients <n>', 'fewest clients the concurrency criterion accepts (default 10)')
    .option('--max-frame <size>', 'largest frame accepted; larger ones are violations (default 1MiB)')
    .option('--check-sample <share>', 'full checks on this share of clients (e.g. 0.1), cheap accounting on the rest: for capacity runs')
    .option('--spread <n>', 'spread clients over n loopback addresses 127.0.0.1..n (the target must listen on them; default for the embedded simulator: one per 10,000 clients)')
    .option('--no-probes', 'do not run the protocol probe client beside the load')
    .option('--workers <n>', 'client processes on this machine (default: from the client count and the cores)')
    .option('--shard <i/n>', 'run slice i of n of the scenario (clients, ramp, chaos); merge the n reports with `merge`')
    .option('--chaos <spec>', 'cut connections on purpose: cut=10%[,mode=close|drop|both][,at=10s][,every=20s], or off (default cut=10%,mode=both)')
    .option('--sim-fault <spec>', 'fault for the embedded simulator, as `serve --fault` (repeatable)', collect, [])
    .option('--seed <n>', 'seed for the embedded simulator')
    .option('--profile <name>', 'target profile (default aurigraph-v11)')
    .option('--fallback-url <url>', 'REST endpoint that polling falls back to')
    .option('--server-pid <pid>', "sample the target's CPU and memory from this local process and the processes under it")
    .option('--metrics-url <url>', '... or from this Prometheus endpoint')
    .option('--out <dir>', 'where reports go (default reports/<run-id>/)')
    .option('--json', 'print the JSON report on stdout, and nothing else there')
    .option('--format <list>', 'report files to write: json,md,junit,html or all (default all)')
    .option('--baseline <file>', 'compare with this baseline (or report.json); a regression fails the run')
    .option('--save-baseline <file>', "keep this run's key metrics as a baseline file")
    .option('--tolerance <metric=tol>', 'how much worse a baseline metric may get, e.g. latency_p99=20% (repeatable)', collect, [])
    .action(async (flags: RunFlags) => {
      process.exitCode = await runCommand(flags);
    });
}
