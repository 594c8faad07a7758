import { basename, join } from 'node:path';
import { Option, type Command } from 'commander';
import { helpLine, OPTIONS, type OptionValues } from '../scenario/options.js';
import { settingsFromFlags, type RunFlags } from '../scenario/flags.js';
import { usageError } from '../errors.js';
import { EXIT, exitForVerdict } from './exit-codes.js';
import { extraWordMessage } from './extra-arguments.js';

export { settingsFromFlags, type RunFlags } from '../scenario/flags.js';

function wantsColor(stream: NodeJS.WriteStream): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

/** The width the human output is laid out for: the terminal's, whichever stream is one (the renderer makes it 80 at least). */
export function terminalColumns(): number | undefined {
  return process.stderr.columns ?? process.stdout.columns;
}

/** Scrolling progress lines come this often (CI, or no terminal). */
const PLAIN_EVERY_MS = 10_000;

/** CI=true (GitHub, GitLab and most others set it): no line that overwrites itself, whatever the stream says. */
function isCi(env: NodeJS.ProcessEnv): boolean {
  return env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
}

/**
 * OpenTelemetry's own OTEL_METRIC_EXPORT_INTERVAL (ms), for `--export otlp`;
 * unset is the export's default. Set to anything but a whole number of ms
 * above 0 is bad usage, said before any work.
 */
export function otlpIntervalFrom(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.OTEL_METRIC_EXPORT_INTERVAL;
  if (raw === undefined || raw.trim() === '') return undefined;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms <= 0) throw usageError(`OTEL_METRIC_EXPORT_INTERVAL must be a whole number of milliseconds above 0 (got "${raw}")`);
  return ms;
}

/** Runs the load test for the CLI; returns the exit code. */
export async function runCommand(flags: RunFlags): Promise<number> {
  // the engine, the reporters and the scenario parser load only for a run,
  // so `serve`, `validate` and `--help` start quickly; and only once the
  // flags are known good, so a typo costs no more than reading the flags
  const scenario = typeof flags.scenario === 'string' ? await (await import('../scenario/file.js')).readScenario(flags.scenario, process.env, (await import('../verdict/threshold-text.js')).SCENARIO_CHECKS) : undefined;
  // an AsyncAPI profile is read by an asynchronous parser: made known here, looked up as any other after
  const profileRef = typeof flags.profile === 'string' ? flags.profile : scenario?.settings.profile;
  if (profileRef !== undefined) await (await import('../profile/index.js')).prepareProfile(profileRef);
  // what the report options resolved to from the flags (--dashboard, --export): the scenario's stand when no flag is given
  const choices: Partial<OptionValues> = {};
  const settings = settingsFromFlags(flags, scenario, process.env, choices);
  const dashboard = choices.dashboard ?? scenario?.dashboard;
  const exports = choices.exports ?? scenario?.exports;
  const { reshapeNotes, startLine } = await import('../scenario/describe.js');
  const { findProfile } = await import('../profile/index.js');
  const profile = findProfile(settings.profile)!;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const { DEFAULT_OUT_PARENT, finishReport, runOutputs, writeOutputs } = await import('./run-outputs.js');
  const outputs = runOutputs({ out: text(flags.out), format: text(flags.format), baseline: text(flags.baseline), saveBaseline: text(flags.saveBaseline), tolerance: flags.tolerance as string[] }, scenario);
  // a flag that reshapes a scenario says so, one line per change; once the usage is known good
  const shape = { clients: text(flags.clients), duration: text(flags.duration), ramp: text(flags.ramp), chaos: text(flags.chaos) };
  for (const note of reshapeNotes(shape, scenario?.settings, settings, profile)) process.stderr.write(`note: ${note}\n`);
  const json = flags.json === true || (flags.json === undefined && scenario?.json === true);
  const [{ startRun }, { buildReport, runId }, { renderJson }, { progressLine }, { renderTerminal }, { renderComparisonTerminal }, { startLive }] = await Promise.all([
    import('../engine/run.js'),
    import('../verdict/report.js'),
    import('../reporters/json.js'),
    import('../reporters/progress.js'),
    import('../reporters/terminal.js'),
    import('../reporters/compare-terminal.js'),
    import('../live/start.js'),
  ]);
  const human = json ? process.stderr : process.stdout;
  const progress = process.stderr;
  // the live view always runs: the progress line reads the criteria failing so far from it
  // a terminal gets one line that overwrites itself, with a bar; CI (or no terminal) one quiet line every 10 s
  const overwrite = progress.isTTY && !isCi(process.env);
  const live = await startLive(settings, { dashboard, exports, scenario: scenario ? basename(scenario.file) : 'flags', problem: (line) => progress.write(`${line}\n`), judgeEveryMs: overwrite ? 1000 : PLAIN_EVERY_MS, otlpIntervalMs: otlpIntervalFrom(process.env) });
  if (live.url) progress.write(`dashboard: ${live.url}\n`);
  const run = startRun(settings);
  live.view.attach(run);
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
  let lastPlain: number | undefined;
  run.on('start', (t) => progress.write(`${startLine(settings, profile, t.embedded ? 'the embedded simulator' : 'the target')}\n`));
  live.view.on('frame', (f, p) => {
    const extras = { totalMs: f.totalMs, failing: f.failing };
    if (overwrite) progress.write(`\r${progressLine(p, progress.columns, { ...extras, bar: true })}\x1b[K`);
    else if (lastPlain === undefined || p.elapsedMs - lastPlain >= PLAIN_EVERY_MS) {
      lastPlain = p.elapsedMs;
      progress.write(`${progressLine(p, undefined, extras)}\n`);
    }
  });
  try {
    const result = await run.result;
    if (overwrite) progress.write('\n');
    if (result.abandoned) progress.write(`livestream-bench: cannot connect to the target: ${result.abandoned}\n`);
    if (result.stoppedEarly) progress.write(`livestream-bench: cannot connect to the target: ${result.stoppedEarly}; every first attempt failed this way, so the run stopped early\n`);
    const judged = finishReport(buildReport(result), outputs);
    // the exports end on the report's own figures; what they could not push is counted in it
    const pushed = await live.view.finish(judged);
    const report = pushed.length > 0 ? { ...judged, exports: pushed } : judged;
    const dir = outputs.out ?? join(DEFAULT_OUT_PARENT, runId(result.startedAt));
    const written = writeOutputs(report, dir, outputs);
    live.dashboard?.reportWritten(written.find((f) => basename(f) === 'report.html'), report);
    human.write(renderTerminal(report, { color: wantsColor(human), width: terminalColumns() }));
    if (report.baseline) human.write(renderComparisonTerminal(report.baseline, { color: wantsColor(human), width: terminalColumns() }));
    if (outputs.saveBaseline && result.interrupted) progress.write(`baseline not saved: an interrupted run is no reference\n`);
    progress.write(`report: ${written.join(', ')}\n`);
    if (json) process.stdout.write(renderJson(report));
    if (result.interrupted) return EXIT.interrupted;
    return exitForVerdict(report.verdict);
  } finally {
    await live.view.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The option table (scenario/options.ts) as commander options. */
export function runOptions(): Option[] {
  return OPTIONS.filter((o) => o.flag).map((o) => {
    const opt = new Option(`${o.short ? `${o.short}, ` : ''}${o.flag}${o.arg ? ` ${o.arg}` : ''}`, helpLine(o));
    // no default: a repeatable flag left out is not given, so the scenario's value stands
    if (o.repeatable) opt.argParser((value: string, previous: string[] = []) => [...previous, value]);
    return opt;
  });
}

export function registerRun(program: Command): void {
  const run = program
    .command('run', { isDefault: true })
    .description('the load run: N clients against the stream, judged against the Phase 3B criteria');
  for (const opt of runOptions()) run.addOption(opt);
  // a stray word is said here, naming the flag it follows, rather than as commander's "too many arguments"
  run.allowExcessArguments(true);
  run.action(async (flags: RunFlags, cmd: Command) => {
    if (cmd.args.length > 0) {
      // commander keeps the argv it parsed (untyped): the words around the stray one name the flag
      const why = extraWordMessage((program as Command & { rawArgs: string[] }).rawArgs.slice(2), cmd.args[0]);
      if (why) throw usageError(why);
      cmd.error(`error: too many arguments for 'run'. Expected 0 arguments but got ${cmd.args.length}.`, { code: 'commander.excessArguments', exitCode: EXIT.usage });
    }
    process.exitCode = await runCommand(flags);
  });
}
