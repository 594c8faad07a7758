import { describe, expect, it } from 'vitest';
import { compareBaseline, withBaseline } from '../../src/baseline/compare.js';
import { isBenchFile, parseBaseline, parseReport, renderBaseline, toBaseline, type Baseline } from '../../src/baseline/file.js';
import { BASELINE_METRIC_IDS, keyMetrics } from '../../src/baseline/metrics.js';
import { describeTolerance, parseTolerance, parseToleranceFlag } from '../../src/baseline/tolerance.js';
import { BenchError } from '../../src/errors.js';
import { renderJson } from '../../src/reporters/json.js';
import { fixtureReport } from '../reporters/fixture.js';

const base = toBaseline(fixtureReport());

function variant(metrics: Partial<Baseline['metrics']>, settings: Partial<Baseline['settings']> = {}): Baseline {
  return { ...base, metrics: { ...base.metrics, ...metrics }, settings: { ...base.settings, ...settings } };
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

const row = (c: ReturnType<typeof compareBaseline>, id: string) => c.rows.find((r) => r.metric === id)!;

describe('compareBaseline', () => {
  it('a run against itself: one row per key metric, no regression', () => {
    const c = compareBaseline(base, base);
    expect(c.rows.map((r) => r.metric)).toEqual([...BASELINE_METRIC_IDS]);
    expect(c.regressions).toEqual([]);
    expect(new Set(c.rows.map((r) => r.status))).toEqual(new Set(['ok', 'n/a']));
    expect(c.notes).toEqual([]);
  });

  it('latency p99 may grow 10 %, or 5 ms when that is more', () => {
    const p99 = 100;
    const b = variant({ latency_p99: p99 });
    expect(row(compareBaseline(b, variant({ latency_p99: 110 })), 'latency_p99').status).toBe('ok'); // exactly at the tolerance
    const over = compareBaseline(b, variant({ latency_p99: 110.5 }));
    expect(over.regressions).toEqual(['latency_p99']);
    expect(row(over, 'latency_p99')).toMatchObject({ baseline: 100, current: 110.5, change: 10.5, changeShare: 0.105, status: 'regression' });
    // a fast target: 2 ms -> 6.9 ms is within the 5 ms floor, 7.1 ms is not
    expect(compareBaseline(variant({ latency_p99: 2 }), variant({ latency_p99: 6.9 })).regressions).toEqual([]);
    expect(compareBaseline(variant({ latency_p99: 2 }), variant({ latency_p99: 7.1 })).regressions).toEqual(['latency_p99']);
  });

  it('bandwidth may grow 10 %', () => {
    expect(compareBaseline(variant({ bandwidth_mean: 500 }), variant({ bandwidth_mean: 550 })).regressions).toEqual([]);
    expect(compareBaseline(variant({ bandwidth_mean: 500 }), variant({ bandwidth_mean: 551 })).regressions).toEqual(['bandwidth_mean']);
  });

  it('loss, duplicates and unintended disconnects may not grow at all', () => {
    const c = compareBaseline(base, variant({ lost_messages: 1, duplicates: 1, unintended_disconnects: 1 }));
    expect(c.regressions).toEqual(['lost_messages', 'duplicates', 'unintended_disconnects']);
  });

  it('for metrics where higher is better, a drop is the regression and a rise an improvement', () => {
    const c = compareBaseline(variant({ uptime: 1, clients_held: 10 }), variant({ uptime: 0.99, clients_held: 11 }));
    expect(row(c, 'uptime').status).toBe('regression');
    expect(row(c, 'clients_held').status).toBe('improved');
    expect(row(compareBaseline(variant({ latency_p99: 50 }), variant({ latency_p99: 20 })), 'latency_p99').status).toBe('improved');
  });

  it('a metric missing on either side is n/a, never a regression', () => {
    const c = compareBaseline(variant({ reconnect_p99: null }), variant({ reconnect_p99: 9000 }));
    expect(row(c, 'reconnect_p99')).toMatchObject({ status: 'n/a', change: null });
    const older = { ...base, metrics: { latency_p99: 3 } as Baseline['metrics'] };
    expect(compareBaseline(older, base).regressions).toEqual([]);
  });

  it('tolerances can be overridden per metric', () => {
    const now = variant({ latency_p99: 200, lost_messages: 3 });
    const loose = compareBaseline(variant({ latency_p99: 100 }), now, { latency_p99: { relative: 1, absolute: 0 }, lost_messages: { relative: 0, absolute: 5 } });
    expect(loose.regressions).toEqual([]);
    expect(row(loose, 'latency_p99').tolerance).toBe('up 100 %');
  });

  it('notes what makes the comparison unfair, without failing on it', () => {
    const c = compareBaseline({ ...base, verdict: 'fail' }, variant({}, { clients: 100, durationMs: 60_000 }));
    expect(c.regressions).toEqual([]);
    expect(c.notes.join('\n')).toMatch(/clients differ: baseline 10, now 100/);
    expect(c.notes.join('\n')).toMatch(/steady phases differ/);
    expect(c.notes.join('\n')).toMatch(/verdict was fail/);
  });

  it('is pure: frozen inputs, the same answer twice', () => {
    const a = deepFreeze(structuredClone(base));
    const b = deepFreeze(variant({ latency_p99: 999 }));
    expect(compareBaseline(a, b, {}, 'x.json')).toEqual(compareBaseline(a, b, {}, 'x.json'));
  });
});

describe('withBaseline', () => {
  const passing = fixtureReport();
  const regressed = compareBaseline(base, variant({ latency_p99: 999 }));

  it('a regression fails a run whose criteria all passed, and says why', () => {
    expect(passing.verdict).toBe('pass');
    const r = withBaseline(passing, regressed);
    expect(r.verdict).toBe('fail');
    expect(r.verdictReason).toBe('baseline regression: latency_p99');
    expect(r.baseline).toBe(regressed);
    expect(passing.verdict).toBe('pass'); // not mutated
  });

  it('no regression leaves the verdict alone; an inconclusive run stays inconclusive', () => {
    expect(withBaseline(passing, compareBaseline(base, base)).verdict).toBe('pass');
    const inconclusive = { ...passing, verdict: 'inconclusive' as const };
    expect(withBaseline(inconclusive, regressed).verdict).toBe('inconclusive');
  });
});

describe('baseline files', () => {
  it('the trimmed form round-trips, and a whole report.json is a baseline too', () => {
    const report = fixtureReport();
    expect(parseBaseline(renderBaseline(toBaseline(report)), 'b.json')).toEqual(toBaseline(report));
    expect(parseBaseline(renderJson(report), 'report.json')).toEqual(toBaseline(report));
    expect(toBaseline(report).metrics).toEqual(keyMetrics(report));
  });

  it('key metrics come from the report figures', () => {
    const m = keyMetrics(fixtureReport({ defects: true }));
    expect(m).toMatchObject({ lost_messages: 3, unintended_disconnects: 2, violations: 2, uptime: 1, clients_held: 10, reconnect_p99: null });
    expect(m.latency_p99).toBeCloseTo(fixtureReport({ defects: true }).metrics.latencyMs.p99, 6);
  });

  it.each([
    ['not json', 'is not JSON'],
    ['[1,2]', 'neither a baseline nor'],
    ['{"kind":"livestream-bench-baseline","schemaVersion":9}', 'schemaVersion 9'],
    ['{"schemaVersion":1,"criteria":[]}', 'missing'],
  ])('rejects %j with a usage error', (text, message) => {
    try {
      parseBaseline(text, 'x.json');
      expect.unreachable();
    } catch (err) {
      expect((err as BenchError).code).toBe('LSB_USAGE');
      expect((err as Error).message).toContain(message);
    }
    expect(() => parseReport(text, 'x.json')).toThrow(BenchError);
  });
});

describe('tolerances as text', () => {
  it.each([
    ['latency_p99', '10%', { relative: 0.1, absolute: 0 }],
    ['latency_p99', '+20ms', { relative: 0, absolute: 20 }],
    ['latency_p99', '10%, 5ms', { relative: 0.1, absolute: 5 }],
    ['bandwidth_mean', '5% or 16B/s', { relative: 0.05, absolute: 16 }],
    ['lost_messages', 0, { relative: 0, absolute: 0 }],
    ['lost_messages', '2', { relative: 0, absolute: 2 }],
    ['uptime', '0.5%', { relative: 0, absolute: 0.005 }],
  ] as const)('%s: %j', (metric, text, expected) => {
    expect(parseTolerance(metric, text)).toEqual(expected);
  });

  it('names what it cannot read', () => {
    expect(parseTolerance('latency_p99', 'lots')).toContain('cannot read tolerance "lots"');
    expect(parseTolerance('latency_p98', '10%')).toContain('not a baseline metric');
    expect(parseToleranceFlag('latency_p99')).toContain('metric=tolerance');
    expect(parseToleranceFlag('latency_p99=20%')).toEqual({ metric: 'latency_p99', tolerance: { relative: 0.2, absolute: 0 } });
  });

  it('reads back in words', () => {
    expect(describeTolerance({ relative: 0.1, absolute: 5 }, 'ms', 'lower')).toBe('up 10 %, at least 5 ms');
    expect(describeTolerance({ relative: 0, absolute: 0 }, 'count', 'lower')).toBe('may not go up');
    expect(describeTolerance({ relative: 0, absolute: 0.005 }, 'share', 'higher')).toBe('down 0.5 points');
  });
});

describe('isBenchFile: what --save-baseline may replace', () => {
  it('a baseline or a report of this tool, nothing else', () => {
    expect(isBenchFile(renderBaseline(base))).toBe(true);
    expect(isBenchFile(renderJson(fixtureReport()))).toBe(true);
    expect(isBenchFile('{"a": 1}\n')).toBe(false);
    expect(isBenchFile('notes, not JSON\n')).toBe(false);
    expect(isBenchFile('')).toBe(false);
  });
});
