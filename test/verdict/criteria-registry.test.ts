import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Recorder } from '../../src/metrics/recorder.js';
import { defaultProfile, findProfile, type TargetProfile } from '../../src/profile/index.js';

const aurigraphV11 = defaultProfile();
import { CRITERION_IDS, CRITERION_TITLES, criterionTitle } from '../../src/verdict/criteria.js';
import { CRITERIA } from '../../src/verdict/criteria/index.js';
import { judge, type JudgeInput } from '../../src/verdict/judge.js';
import { summarizeMetrics } from '../../src/verdict/summary.js';
import { ADJUSTABLE_CRITERIA, parseThresholdText, resolveThresholds } from '../../src/verdict/threshold-text.js';
import { DEFAULT_THRESHOLDS } from '../../src/verdict/thresholds.js';

/** The default profile with other channel intervals: a stream of another kind. */
const otherStream: TargetProfile = {
  ...aurigraphV11,
  name: 'other',
  channels: [
    { ...aurigraphV11.channels[0], intervalMs: 500 },
    { ...aurigraphV11.channels[1], intervalMs: 2000 },
    { ...aurigraphV11.channels[2], intervalMs: 2000 },
  ],
};

function input(r: Recorder, over: Partial<JudgeInput> = {}): JudgeInput {
  return {
    metrics: summarizeMetrics(r.snapshot(), aurigraphV11, aurigraphV11.channels.map((c) => c.channel)),
    thresholds: DEFAULT_THRESHOLDS,
    planned: 1,
    minClients: 1,
    steadyMs: 10_000,
    connectTimeoutMs: 10_000,
    ...over,
  };
}

/** One client that connected and streamed; `over` adds to it. */
function streamed(over: (r: Recorder) => void = () => {}): Recorder {
  const r = new Recorder();
  r.count('clients_planned', 1);
  r.count('connect_first_ok');
  r.count('held');
  r.observe('connect_us', 2000);
  over(r);
  return r;
}

describe('the criteria registry', () => {
  it('lists one module per criterion, in criteria.md order (CRITERION_IDS)', () => {
    expect(CRITERIA.map((c) => c.id)).toEqual([...CRITERION_IDS]);
  });

  it('puts DEFAULT_THRESHOLDS together from the modules, each field from exactly one', () => {
    const fields = CRITERIA.flatMap((c) => Object.keys(c.defaults ?? {}));
    expect(new Set(fields).size).toBe(fields.length);
    expect(fields.sort()).toEqual(Object.keys(DEFAULT_THRESHOLDS).sort());
  });

  it('every adjustable criterion writes its default line in its own grammar; every other one says why it is fixed', () => {
    for (const c of CRITERIA) {
      if (!c.clauses) {
        expect(c.format, c.id).toBeUndefined();
        expect(parseThresholdText(c.id, 'p99 < 1ms').problems[0]).toContain(`${c.id} has a fixed threshold (${c.fixed})`);
        continue;
      }
      expect(ADJUSTABLE_CRITERIA).toContain(c.id);
      const line = c.format!(DEFAULT_THRESHOLDS, 10);
      expect(parseThresholdText(c.id, line).problems, `${c.id}: ${line}`).toEqual([]);
    }
  });

  it('reads threshold texts over the defaults, and names an unknown id at its key with a did-you-mean', () => {
    const r = resolveThresholds({ latency: 'p99 < 250ms', concurrency: 'clients >= 100', latnecy: 'p99 < 1ms' });
    expect(r.thresholds).toEqual({ ...DEFAULT_THRESHOLDS, latencyP99Ms: 250 });
    expect(r.minClients).toBe(100);
    expect(r.problems).toEqual([{ id: 'latnecy', key: true, message: 'unknown key "latnecy" in thresholds: not a criterion id (did you mean "latency"?)' }]);
  });
});

describe('titles', () => {
  it('the cadence title comes from the profile: 1/2/3/5 s for aurigraph-v11, the other stream\'s intervals for another', () => {
    expect(criterionTitle('cadence', aurigraphV11)).toBe('Continuous data flow every 1/2/3/5 s');
    expect(CRITERION_TITLES.cadence).toBe('Continuous data flow every 1/2/3/5 s');
    expect(criterionTitle('cadence', otherStream)).toBe('Continuous data flow every 0.5/2 s');
    // the second built-in profile: channels every 1 s, 500 ms and 4 s
    expect(criterionTitle('cadence', findProfile('ticker-demo')!)).toBe('Continuous data flow every 0.5/1/4 s');
    expect(criterionTitle('cadence', 'ticker-demo')).toBe('Continuous data flow every 0.5/1/4 s');
  });

  it('a judgement carries the title of the judged stream', () => {
    const j = judge(input(streamed(), { profile: otherStream }));
    expect(j.criteria.find((c) => c.id === 'cadence')!.title).toBe('Continuous data flow every 0.5/2 s');
    expect(j.criteria.find((c) => c.id === 'latency')!.title).toBe('Message latency < 500 ms');
  });
});

describe('socket errors', () => {
  const unintended = (r: Recorder) => judge(input(r)).criteria.find((c) => c.id === 'unintended_disconnects')!;

  it('a socket error the harness did not cause fails unintended_disconnects and shows in the detail', () => {
    const c = unintended(streamed((r) => {
      r.count('socket_errors');
      r.sample(Date.now(), 'socket_error', 0, 'read ECONNRESET');
    }));
    expect(c.status).toBe('fail');
    expect(c.observed).toBe('0 close(s), 1 socket error(s)');
    expect(c.detail).toContain('socket errors on open connections: 1');
  });

  it('without socket errors or closes it passes, observing 0 as before', () => {
    const c = unintended(streamed());
    expect(c.status).toBe('pass');
    expect(c.observed).toBe('0');
  });
});

describe('data_consistency', () => {
  it('fails on a broken profile invariant and shows the first one, with the values it read', () => {
    const r = streamed((rec) => rec.sample(Date.now(), 'invariant_broken', 0, 'reading: "humidity <= 100" broken: humidity=140'));
    const c = judge(input(r, { samples: r.snapshot().samples })).criteria.find((x) => x.id === 'data_consistency')!;
    expect(c.status).toBe('fail');
    expect(c.detail).toBe('invariant_broken 1; first: reading: "humidity <= 100" broken: humidity=140');
  });

  it('shows one line per root cause: the field, the values, the clients, and how many ticks and windows it spoiled', () => {
    const T = 1_730_000_000_000;
    const r = streamed((rec) => {
      for (let i = 0; i < 8940; i++) rec.sample(T + i, 'tick_mismatch', 3, `tps_update currentTPS: client 3 saw ${801234 + i}, client 7 saw 790112 at ts ${T + i}`, 'tps_update currentTPS');
      for (let i = 0; i < 52; i++) rec.sample(T + i, 'values_per_client', 1, `tps_update currentTPS: 3 versions in the 1000 ms window from ts ${T}: client 1 saw 1, client 2 saw 2, client 4 saw 3`, 'tps_update currentTPS');
      for (let i = 0; i < 20; i++) rec.sample(T + i, 'value_stuck', i, 'block_update blockHeight stuck at 12345', 'block_update blockHeight');
    });
    const c = judge(input(r, { samples: r.snapshot().samples })).criteria.find((x) => x.id === 'data_consistency')!;
    expect(c.status).toBe('fail');
    expect(c.observed).toBe('9012 violation(s)');
    expect(c.detail).toBe(
      `tps_update currentTPS: client 3 saw 801234, client 7 saw 790112 at ts ${T} (tick_mismatch: 8940 tick(s) differ on this field; values_per_client: 52 window(s) with 3+ versions of it); `
      + 'block_update blockHeight stuck at 12345 (value_stuck: 20 time(s))',
    );
  });

  it('still counts violations no finding names (an older snapshot), and says when a finding kept no example', () => {
    const r = streamed((rec) => {
      rec.count('violation:tick_mismatch', 3);
      rec.count('finding:tick_mismatch tps_update latency', 2);
    });
    const c = judge(input(r, { samples: [] })).criteria.find((x) => x.id === 'data_consistency')!;
    expect(c.detail).toBe('tps_update latency (tick_mismatch: 2 tick(s) differ on this field; no example kept); tick_mismatch 1');
  });
});

describe('the pipeline order', () => {
  it('nothing in scenario/ imports verdict/ (type-only imports included)', () => {
    const dir = new URL('../../src/scenario/', import.meta.url);
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      expect(readFileSync(new URL(f, dir), 'utf8'), f).not.toMatch(/from '\.\.\/verdict\//);
    }
  });
});
