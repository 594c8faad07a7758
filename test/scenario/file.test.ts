import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { settingsFromFlags, type RunFlags } from '../../src/cli/run-command.js';
import { BenchError } from '../../src/errors.js';
import { formatProblems, parseScenario, type Scenario } from '../../src/scenario/file.js';
import { DEFAULTS } from '../../src/scenario/settings.js';
import { DEFAULT_THRESHOLDS } from '../../src/verdict/thresholds.js';
import { resolveThresholds, SCENARIO_CHECKS } from '../../src/verdict/threshold-text.js';

const SCENARIOS = new URL('../../scenarios/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, SCENARIOS), 'utf8');

function ok(text: string, env: Record<string, string> = {}): Scenario {
  const p = parseScenario(text, 'test.yaml', env, SCENARIO_CHECKS);
  expect(p.problems).toEqual([]);
  return p.scenario!;
}

function problems(text: string, env: Record<string, string> = {}): string[] {
  return formatProblems('s.yaml', parseScenario(text, 's.yaml', env, SCENARIO_CHECKS).problems);
}

const flags = (f: Partial<RunFlags> = {}): RunFlags => ({ header: [], simFault: [], tolerance: [], ...f });

describe('the shipped scenarios', () => {
  const files = readdirSync(SCENARIOS).filter((f) => /\.(ya?ml|json)$/.test(f));

  it('are the ones the README documents', () => {
    expect(files.sort()).toEqual(['load-100.yaml', 'phase3b.yaml', 'portal-churn.yaml', 'reconnect-storm.yaml', 'smoke.yaml', 'soak.yaml', 'sse-100.yaml']);
  });

  it.each(files)('%s is valid, described, and makes valid run settings', (file) => {
    const s = ok(read(file));
    expect(s.description).toBeTruthy();
    expect(() => settingsFromFlags(flags(), s)).not.toThrow();
  });

  it('phase3b is the full gate at the run defaults: Phase 3B thresholds, and cuts for reconnect', () => {
    const s = ok(read('phase3b.yaml')).settings;
    expect(resolveThresholds(s.thresholds).thresholds).toEqual(DEFAULT_THRESHOLDS);
    expect([s.clients, s.rampMs, s.durationMs, s.connectTimeoutMs, s.minClients]).toEqual([DEFAULTS.clients, DEFAULTS.rampMs, DEFAULTS.durationMs, DEFAULTS.connectTimeoutMs, DEFAULTS.minClients]);
    expect(s.policy).toEqual(DEFAULTS.policy);
    expect(s.chaos).toEqual({ cutShare: 0.1, mode: 'both' });
  });

  it('smoke is short; soak is 30 minutes; load-100 holds 100 clients in stages; the storm cuts half at once', () => {
    expect(ok(read('smoke.yaml')).settings).toMatchObject({ clients: 10, durationMs: 5000 });
    expect(ok(read('soak.yaml')).settings.durationMs).toBe(30 * 60_000);
    const load = ok(read('load-100.yaml')).settings;
    expect(load).toMatchObject({ clients: 100, minClients: 100, rampMs: 0, durationMs: 150_000 });
    expect(load.stages).toEqual([
      { durationMs: 20_000, clients: 100 },
      { durationMs: 120_000, clients: 100 },
      { durationMs: 10_000, clients: 0 },
    ]);
    expect(ok(read('reconnect-storm.yaml')).settings.chaos).toEqual({ cutShare: 0.5, mode: 'drop', atMs: 20_000, everyMs: 40_000 });
  });
});

describe('scenario validation', () => {
  it('lists every problem of a broken file in one go, each at its line and column', () => {
    const text = [
      'clients: ten', //                                      1
      'duration: 5 minutes', //                               2
      'chanels: [tps_updates]', //                            3
      'channels: [tps_updates, block_update]', //             4
      'reconnect: portl', //                                  5
      'thresholds:', //                                       6
      '  latnecy: p99 < 500ms', //                            7
      '  latency: p99 <= 500ms', //                           8
      '  data_loss: 0', //                                    9
      'chaos: { cut: 200%, mode: sometimes }', //            10
      'simulator:', //                                       11
      '  faults: [latency=300ms, wobble=3]', //              12
      'baseline:', //                                        13
      '  tolerances: { latency_p99: lots }', //              14
    ].join('\n');
    const got = problems(text);
    const expected: [string, string][] = [
      ['s.yaml:1:10:', 'clients must be a whole number (got "ten")'],
      ['s.yaml:2:11:', 'duration must be a time'],
      ['s.yaml:3:1:', 'unknown key "chanels" (did you mean "channels"?)'],
      ['s.yaml:4:25:', 'channel "block_update" is unknown'],
      ['s.yaml:5:12:', 'reconnect must be a preset (default, portal, websocket-service, portal-v2)'],
      ['s.yaml:7:3:', 'unknown key "latnecy" in thresholds: not a criterion id (did you mean "latency"?)'],
      ['s.yaml:8:12:', 'write "p99 < 500ms"'],
      ['s.yaml:9:14:', 'data_loss has a fixed threshold'],
      ['s.yaml:10:15:', 'chaos.cut must be more than 0%'],
      ['s.yaml:10:27:', 'chaos.mode must be one of close, drop, both'],
      ['s.yaml:12:27:', 'unknown fault "wobble"'],
      ['s.yaml:14:30:', 'cannot read tolerance "lots"'],
    ];
    expect(got).toHaveLength(expected.length);
    expected.forEach(([pos, text], i) => {
      expect(got[i].startsWith(pos), `${got[i]} starts with ${pos}`).toBe(true);
      expect(got[i]).toContain(text);
    });
  });

  it('finds unknown keys at any depth, with a did-you-mean that ignores case and dashes', () => {
    expect(problems('connect-timeout: 5s\nstages:\n  - { duration: 5s, client: 3 }\n')).toEqual([
      's.yaml:1:1: unknown key "connect-timeout" (did you mean "connectTimeout"?)',
      's.yaml:3:5: stages[0] needs "clients"',
      's.yaml:3:21: unknown key "client" in stages[0] (did you mean "clients"?)',
    ]);
  });

  it('explains an unquoted threshold that YAML cannot read', () => {
    const [p] = problems('clients: 3\nthresholds:\n  uptime: >= 100%\n');
    expect(p).toMatch(/^s\.yaml:3:\d+: YAML: /);
    expect(p).toContain('must be quoted');
    expect(resolveThresholds(ok('thresholds:\n  uptime: ">= 100%"\n').settings.thresholds).thresholds.uptimeShare).toBe(1);
  });

  it('rejects an empty file and a file that is not a mapping', () => {
    expect(problems('')).toEqual(['s.yaml:1:1: a scenario must be a mapping of settings (key: value), such as "clients: 10"']);
    expect(problems('- clients: 3\n')[0]).toContain('must be a mapping');
  });

  it('reads JSON the same way, with positions', () => {
    const json = '{\n  "clients": 20,\n  "duration": "1m",\n  "thresholds": { "latency": "p99 < 250ms" }\n}\n';
    expect(ok(json).settings).toMatchObject({ clients: 20, durationMs: 60_000, thresholds: { latency: 'p99 < 250ms' } });
    expect(resolveThresholds(ok(json).settings.thresholds).thresholds.latencyP99Ms).toBe(250);
    expect(problems('{\n  "clients": 20,\n  "clinets": 3\n}\n')).toEqual(['s.yaml:3:3: unknown key "clinets" (did you mean "clients"?)']);
  });

  it('keeps secrets out of files: ${ENV} references are expanded, literal secrets are problems', () => {
    const s = ok('target: "wss://stream.example/api?token=${LSB_T}"\nheaders:\n  Authorization: "Bearer ${LSB_T}"\n', { LSB_T: 's3cret' });
    expect(s.settings.headers).toEqual({ Authorization: 'Bearer s3cret' });
    expect(s.settings.target).toBe('wss://stream.example/api?token=s3cret');
    expect(problems('headers:\n  Authorization: "Bearer ${LSB_T}"\n')).toEqual(['s.yaml:2:18: headers.Authorization refers to ${LSB_T}, which is not set in the environment']);
    expect(problems('headers:\n  Authorization: Bearer abc\n')[0]).toContain('literal secret');
    expect(problems('target: wss://stream.example/api?token=abc\n')[0]).toContain('literal credential');
    expect(problems('target: wss://user:pw@stream.example/api\n')[0]).toContain('literal credential');
  });

  it('stages set the clients and the length, and cannot be mixed with ramp or duration', () => {
    const s = ok('stages:\n  - { duration: 5s, clients: 20 }\n  - { duration: 10s, clients: 20 }\n').settings;
    expect(s).toMatchObject({ clients: 20, durationMs: 15_000, rampMs: 0 });
    expect(problems('duration: 30s\nstages:\n  - { duration: 5s, clients: 20 }\n')).toEqual(['s.yaml:1:11: duration and stages both shape the run; stages replace ramp and duration, so drop duration']);
    expect(problems('clients: 5\nstages:\n  - { duration: 5s, clients: 20 }\n')[0]).toContain("differs from the stages' peak");
  });
});

describe('flags override the file', () => {
  const scenario = ok('clients: 25\nduration: 1m\nramp: 2s\nchannels: [tps_updates]\nsimulator:\n  faults: [drop=1%]\nthresholds:\n  latency: p99 < 100ms\n');

  it('the file fills in what no flag sets', () => {
    const s = settingsFromFlags(flags(), scenario);
    expect(s).toMatchObject({ clients: 25, durationMs: 60_000, rampMs: 2000, channels: ['tps_updates'], simulatorFaults: ['drop=1%'] });
    expect(resolveThresholds(s.thresholds).thresholds.latencyP99Ms).toBe(100);
  });

  it('a flag wins over the file', () => {
    const s = settingsFromFlags(flags({ clients: '5', duration: '10s', simFault: ['latency=300ms'] }), scenario);
    expect(s).toMatchObject({ clients: 5, durationMs: 10_000, rampMs: 2000, simulatorFaults: ['latency=300ms'] });
  });

  it('a shaping flag replaces the stages with a plain ramp and hold', () => {
    const staged = ok('stages:\n  - { duration: 5s, clients: 20 }\n  - { duration: 10s, clients: 20 }\n');
    expect(settingsFromFlags(flags(), staged).stages).toHaveLength(2);
    const s = settingsFromFlags(flags({ clients: '7' }), staged);
    expect(s.stages).toBeUndefined();
    expect(s).toMatchObject({ clients: 7, durationMs: DEFAULTS.durationMs, rampMs: DEFAULTS.rampMs });
  });

  it("a target flag conflicts with the file's simulator faults", () => {
    expect(() => settingsFromFlags(flags({ target: 'ws://127.0.0.1:1/x' }), scenario)).toThrow(BenchError);
  });
});
