import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { settingsFromFlags, type RunFlags } from '../../src/cli/run-command.js';
import { BenchError } from '../../src/errors.js';
import { parseScenario, type Scenario } from '../../src/scenario/file.js';
import { GENERATED_DOCS, regenerateDoc, renderFlagList, replaceBetweenMarkers } from '../../src/scenario/option-docs.js';
import { flagAttribute, OPTIONS } from '../../src/scenario/options.js';
import { SCENARIO_SCHEMA } from '../../src/scenario/schema.js';
import { defaultSettings, DEFAULTS, settingsProblems } from '../../src/scenario/settings.js';

const ROOT = new URL('../../', import.meta.url);
const flags = (f: Record<string, string | string[] | boolean> = {}): RunFlags => ({ header: [], simFault: [], tolerance: [], ...f });

function scenario(text: string, env: Record<string, string> = {}): Scenario {
  const p = parseScenario(text, 't.yaml', env);
  expect(p.problems).toEqual([]);
  return p.scenario!;
}

function problems(text: string): string[] {
  return parseScenario(text, 't.yaml', {}).problems.map((p) => `${p.line}:${p.col}: ${p.message}`);
}

/** Keys that came before the rule "a key is the camelCase of its flag"; they are API and keep their names. */
const OLDER_KEYS: Record<string, string> = {
  '--header': 'headers',
  '--sim-fault': 'simulator.faults',
  '--seed': 'simulator.seed',
  '--format': 'formats',
  '--baseline': 'baseline.compare',
  '--save-baseline': 'baseline.save',
  '--tolerance': 'baseline.tolerances',
};

/**
 * One value per option, as a flag and as a scenario line, that must make
 * the same settings. Every option with a flag and a key needs a row, so an
 * option added to the table without one fails here.
 */
const CA = new URL('fixtures/ca.pem', import.meta.url);
const SAME: Record<string, [string[], string]> = {
  '--target': [['--target', 'ws://127.0.0.1:9/x'], 'target: ws://127.0.0.1:9/x'],
  '--profile': [['--profile', 'ticker-demo'], 'profile: ticker-demo'],
  '--clients': [['--clients', '7'], 'clients: 7'],
  '--duration': [['--duration', '1m30s'], 'duration: 1m30s'],
  '--ramp': [['--ramp', '0'], 'ramp: 0'],
  '--channels': [['--channels', 'tps_updates,block_updates'], 'channels: [tps_updates, block_updates]'],
  '--header': [['--header', 'X-Trace: on'], 'headers: { X-Trace: "on" }'],
  '--token-env': [['--token-env', 'LSB_OPT_TOKEN'], 'tokenEnv: LSB_OPT_TOKEN'],
  '--insecure': [['--insecure'], 'insecure: true'],
  '--ca': [['--ca', CA.pathname], `ca: ${CA.pathname}`],
  '--connect-timeout': [['--connect-timeout', '3s'], 'connectTimeout: 3s'],
  '--close-timeout': [['--close-timeout', '500ms'], 'closeTimeout: 500ms'],
  '--reconnect': [['--reconnect', '1s,x3,9s,4,jitter=0.5'], 'reconnect: { initial: 1s, factor: 3, cap: 9s, attempts: 4, jitter: 0.5 }'],
  '--min-clients': [['--min-clients', '3'], 'minClients: 3'],
  '--strict': [['--strict'], 'strict: true'],
  '--chaos': [['--chaos', 'cut=50%,mode=drop,at=20s,every=30s'], 'chaos: { cut: 50%, mode: drop, at: 20s, every: 30s }'],
  '--churn': [['--churn', '5/s'], 'churn: 5/s'],
  '--fallback-url': [['--fallback-url', 'http://127.0.0.1:9/snap'], 'fallbackUrl: http://127.0.0.1:9/snap'],
  '--server-pid': [['--server-pid', String(process.pid)], `serverPid: ${process.pid}`],
  '--metrics-url': [['--metrics-url', 'http://127.0.0.1:9/metrics'], 'metricsUrl: http://127.0.0.1:9/metrics'],
  '--no-probes': [['--no-probes'], 'probes: false'],
  '--max-frame': [['--max-frame', '64KiB'], 'maxFrame: 64KiB'],
  '--workers': [['--workers', '2'], 'workers: 2'],
  '--shard': [['--shard', '2/3'], 'shard: 2/3'],
  '--check-sample': [['--check-sample', '10%'], 'checkSample: 0.1'],
  '--spread': [['--spread', '4'], 'spread: 4'],
  '--sim-fault': [['--sim-fault', 'latency=300ms'], 'simulator: { faults: [latency=300ms] }'],
  '--seed': [['--seed', '7'], 'simulator: { seed: 7 }'],
  '--fail-on': [['--fail-on', 'unknown_channel', '--fail-on', 'frame_size'], 'failOn: [unknown_channel, frame_size]'],
  '--page': [['--page', 'http://127.0.0.1:9/app'], 'page: http://127.0.0.1:9/app'],
  '--browser': [['--browser', 'chromium,firefox'], 'browser: [chromium, firefox]'],
  '--watch': [['--watch', '#tps'], 'watch: "#tps"'],
  '--page-count': [['--page-count', '3'], 'pageCount: 3'],
};
/** Options whose value is not a run setting (the report's), checked through the Scenario instead. */
const REPORT: Record<string, [string[], string, (s: Scenario) => unknown]> = {
  '--out': [['--out', 'r/x'], 'out: r/x', (s) => s.out],
  '--json': [['--json'], 'json: true', (s) => s.json],
  '--format': [['--format', 'json,md'], 'formats: [json, md]', (s) => s.formats],
  '--baseline': [['--baseline', 'b.json'], 'baseline: { compare: b.json }', (s) => s.baseline?.compare],
  '--save-baseline': [['--save-baseline', 'b.json'], 'baseline: { save: b.json }', (s) => s.baseline?.save],
  '--tolerance': [['--tolerance', 'latency_p99=10%'], 'baseline: { tolerances: { latency_p99: 10% } }', (s) => s.baseline?.tolerances],
  '--dashboard': [['--dashboard', '127.0.0.1:8080'], 'dashboard: 127.0.0.1:8080', (s) => s.dashboard],
  '--export': [['--export', 'ndjson=live.ndjson', '--export', 'otlp=http://127.0.0.1:4318/v1/metrics'], 'export: [ndjson=live.ndjson, otlp=http://127.0.0.1:4318/v1/metrics]', (s) => s.exports],
};

/** commander's reading of a run command line, as the run command gets it. */
function parsed(args: string[]): RunFlags {
  const program = buildProgram();
  const run = program.commands.find((c) => c.name() === 'run')!;
  run.action(() => undefined);
  program.parse(['node', 'livestream-bench', 'run', ...args]);
  return run.opts() as RunFlags;
}

describe('the option table', () => {
  it('gives every flag a scenario key: the camelCase of the flag, or the older key it always had', () => {
    for (const o of OPTIONS) {
      if (!o.flag || o.field === 'scenario') continue;
      expect(o.key, o.flag).toBe(OLDER_KEYS[o.flag] ?? flagAttribute(o.flag));
    }
  });

  it('is what the CLI offers: one commander option per flag, with its help line', () => {
    const run = buildProgram().commands.find((c) => c.name() === 'run')!;
    const offered = run.options.map((o) => o.long);
    expect(offered).toEqual(OPTIONS.filter((o) => o.flag).map((o) => o.flag));
    expect(run.options.find((o) => o.long === '--clients')!.description).toBe('concurrent clients (default 10)');
  });

  it('is what the scenario schema allows: one property per key, nested by dots', () => {
    const keys = (node: { properties?: Record<string, unknown> }, prefix = ''): string[] =>
      Object.entries(node.properties ?? {}).flatMap(([k, v]) => {
        const sub = v as { type?: unknown; properties?: Record<string, unknown> };
        const nested = sub.type === 'object' && sub.properties && !OPTIONS.some((o) => o.key === `${prefix}${k}`);
        return nested ? keys(sub, `${prefix}${k}.`) : [`${prefix}${k}`];
      });
    expect(keys(SCENARIO_SCHEMA).sort()).toEqual(['$schema', ...OPTIONS.filter((o) => o.key).map((o) => o.key!)].sort());
  });

  it('sets every run setting the same way from a flag and from a scenario key', () => {
    const withBoth = OPTIONS.filter((o) => o.flag && o.key && o.field !== 'scenario').map((o) => o.flag!);
    expect(Object.keys({ ...SAME, ...REPORT }).sort()).toEqual(withBoth.sort());
    const env = { ...process.env, LSB_OPT_TOKEN: 't0k' };
    for (const [flag, [args, line]] of Object.entries(SAME)) {
      // a target goes without the embedded simulator's faults, and the other way round
      const fromFlag = settingsFromFlags(parsed(args), undefined, env);
      const fromFile = settingsFromFlags(flags(), scenario(line, env), env);
      expect(fromFile, flag).toEqual(fromFlag);
      expect(fromFlag, `${flag} changes something`).not.toEqual(settingsFromFlags(flags(), undefined, env));
    }
  });

  it("leaves the file's values alone when commander hands over no flags (no defaults of its own)", () => {
    const env = { ...process.env, LSB_OPT_TOKEN: 't0k' };
    const lines = Object.entries(SAME)
      .filter(([flag]) => !['--target', '--profile', '--header', '--token-env'].includes(flag))
      .map(([, [, line]]) => line);
    const file = scenario(`${lines.filter((l) => !l.startsWith('simulator:')).join('\n')}\nsimulator: { faults: [latency=300ms], seed: 7 }\nheaders: { X-Trace: "on" }\n`, env);
    const s = settingsFromFlags(parsed([]), file, env);
    expect(s).toEqual(settingsFromFlags(flags(), file, env));
    expect(s).toMatchObject({ probes: false, simulatorFaults: ['latency=300ms'], seed: 7, headers: { 'X-Trace': 'on' }, maxFrameBytes: 65_536, closeTimeoutMs: 500 });
  });

  it('reads the report options from a flag and from a scenario key alike', () => {
    for (const [flag, [args, line, pick]] of Object.entries(REPORT)) {
      const report = {};
      settingsFromFlags(parsed(args), undefined, {}, report);
      const field = OPTIONS.find((o) => o.flag === flag)!.field;
      expect(pick(scenario(line)), flag).toEqual((report as Record<string, unknown>)[field]);
    }
  });

  it('reads one chaos grammar and one reconnect grammar, as text or as a mapping, from either side', () => {
    const chaos = { cutShare: 0.5, mode: 'drop', atMs: 20_000, everyMs: 30_000 };
    expect(scenario('chaos: cut=50%,mode=drop,at=20s,every=30s').settings.chaos).toEqual(chaos);
    expect(scenario('chaos: { cut: 0.5, mode: drop, at: 20s, every: 30s }').settings.chaos).toEqual(chaos);
    expect(settingsFromFlags(flags({ chaos: 'cut=0.5,mode=drop,at=20s,every=30s' })).chaos).toEqual(chaos);
    // off turns the default chaos off, from a file as from a flag
    expect(settingsFromFlags(flags(), scenario('chaos: off')).chaos).toBeUndefined();
    expect(settingsFromFlags(flags({ chaos: 'off' })).chaos).toBeUndefined();
    expect(settingsFromFlags(flags()).chaos).toEqual(DEFAULTS.chaos);
    const policy = { initialMs: 500, factor: 2, maxMs: 4000, maxAttempts: 3, jitter: 0 };
    expect(scenario('reconnect: 500ms,x2,4s,3').settings.policy).toEqual(policy);
    expect(settingsFromFlags(flags({ reconnect: '500ms,x2,4s,3' })).policy).toEqual(policy);
    expect(problems('reconnect: { initial: 10s, factor: 2, cap: 1s, attempts: 3 }')).toEqual(['1:44: reconnect.cap must be at least reconnect.initial']);
    expect(() => settingsFromFlags(flags({ reconnect: '10s,x2,1s,3' }))).toThrow('--reconnect cap must be at least --reconnect initial');
  });

  it('refuses a --fail-on that names no advisory, with a suggestion', () => {
    expect(() => settingsFromFlags(parsed(['--fail-on', 'frame_sise']))).toThrow(/--fail-on: "frame_sise" is not an advisory .*did you mean "frame_size"/);
  });

  it('reports a new key by its position, as validate does for the old ones', () => {
    expect(problems('clients: 5\nworkers: 100\nshard: 3/2\ncheckSample: 2\nchaos: { cut: 200% }\n')).toEqual([
      '2:10: workers must be <= 64 (got 100)',
      '3:8: shard must be i/n with 1 <= i <= n, e.g. 2/4 (got "3/2")',
      '4:14: checkSample "2": write 2% (a bare number is a fraction from 0 to 1, e.g. 0.02)',
      '5:15: chaos.cut must be more than 0% and at most 100% (got "200%")',
    ]);
    expect(problems('tokenEnv: LSB_OPT_UNSET\n')).toEqual(['1:11: tokenEnv names LSB_OPT_UNSET, which is not set in the environment']);
    expect(problems('ca: missing.pem\n')).toEqual(['1:5: ca missing.pem: no such file']);
    expect(problems('maxFrmae: 1MiB\n')).toEqual(['1:1: unknown key "maxFrmae" (did you mean "maxFrame"?)']);
    expect(problems('failOn: [frame_size, unknown_chanel]\n')).toEqual([
      '1:22: failOn[1] must be one of unknown_channel, late_welcome, late_first_message, frame_size, thread_growth (got "unknown_chanel") (did you mean "unknown_channel"?)',
    ]);
  });

  it('checks settings made in code with the same kinds, naming each by its key', () => {
    const s = defaultSettings({ clients: 0, durationMs: 0, maxFrameBytes: 10, workers: 99, target: 'http://x', checkSample: 2, closeTimeoutMs: -1 });
    expect(settingsProblems(s)).toEqual([
      'target must be a ws:// or wss:// URL (got http://)',
      'clients must be a whole number >= 1 (got 0)',
      'duration must be more than 0',
      'closeTimeout must be more than 0',
      'maxFrame must be at least 1 KiB (got 10 bytes)',
      'workers must be a whole number from 1 to 64 (got 99)',
      'checkSample must be more than 0% and at most 100% (got "200%")',
    ]);
    expect(settingsProblems(defaultSettings())).toEqual([]);
  });

  it('refuses a flag and its problem in one usage error, as before', () => {
    expect(() => settingsFromFlags(flags({ spread: '0', workers: 'x' }))).toThrow(BenchError);
    expect(() => settingsFromFlags(flags({ spread: '0', workers: 'x' }))).toThrow(/--workers must be .*; --spread must be/);
  });
});

describe('the docs made from the table', () => {
  it.each(Object.keys(GENERATED_DOCS))('%s holds what `npm run docs:options` would write', (path) => {
    const text = readFileSync(new URL(path, ROOT), 'utf8');
    expect(regenerateDoc(path, text)).toBe(text);
  });

  it('lists every flag in the README, each with its help line', () => {
    const list = renderFlagList();
    for (const o of OPTIONS) if (o.flag) expect(list).toContain(`${o.flag}${o.arg ? ` ${o.arg}` : ''}`);
    expect(list).toContain('--min-clients <n>');
    expect(list).toContain('--seed <n>');
    expect(list).toContain('--profile <name|file>');
    expect(list).toContain('--tolerance <metric=tol>');
  });

  it('replaces only what stands between the markers, and needs them', () => {
    const text = 'a\n<!-- options:x:begin -->\nold\n<!-- options:x:end -->\nb\n';
    expect(replaceBetweenMarkers(text, 'x', 'new')).toBe('a\n<!-- options:x:begin -->\nnew\n<!-- options:x:end -->\nb\n');
    expect(() => replaceBetweenMarkers('a\n', 'x', 'new')).toThrow('markers');
  });
});
