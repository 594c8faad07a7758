import { describe, expect, it } from 'vitest';
import type { RunProgress } from '../../src/engine/run.js';
import { compareBaseline } from '../../src/baseline/compare.js';
import { toBaseline } from '../../src/baseline/file.js';
import { Recorder } from '../../src/metrics/recorder.js';
import { renderComparisonTerminal } from '../../src/reporters/compare-terminal.js';
import { progressLine } from '../../src/reporters/progress.js';
import { fitColumns, linesNeeded } from '../../src/reporters/terminal-layout.js';
import { renderTerminal } from '../../src/reporters/terminal.js';
import { fixtureReport } from './fixture.js';

// eslint-disable-next-line no-control-regex
const plain = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
const widest = (s: string) => Math.max(...plain(s).split('\n').map((l) => [...l].length));

/** A failing report whose details are long and hold words no column can take whole. */
function failing() {
  const report = fixtureReport({ defects: true });
  const i = report.criteria.findIndex((c) => c.id === 'connect');
  report.criteria[i] = {
    ...report.criteria[i],
    status: 'fail',
    detail: 'failed attempts: connection refused x 12 at ws://127.0.0.1:40123/api/v11/live/stream/with/a/very/long/path/that/no/column/holds/on/one/line',
  };
  return report;
}

describe('the terminal summary', () => {
  for (const width of [80, 120]) {
    for (const color of [false, true]) {
      it(`fits ${width} columns${color ? ' in colour' : ''}: no line is longer`, () => {
        const out = renderTerminal(failing(), { color, width });
        expect(widest(out)).toBeLessThanOrEqual(width);
        // and the table does use the room it has
        expect(widest(out)).toBeGreaterThan(width - 10);
      });
    }
  }

  it('lays out for 80 columns when the terminal is narrower or says nothing', () => {
    const report = failing();
    const at80 = renderTerminal(report, { color: false, width: 80 });
    expect(renderTerminal(report, { color: false, width: 40 })).toBe(at80);
    expect(renderTerminal(report, { color: false })).toBe(at80);
  });

  it('one row per criterion, starting with its id, with one rule under the head and none between rows', () => {
    const report = failing();
    const out = plain(renderTerminal(report, { color: false, width: 80 }));
    const lines = out.split('\n');
    const starts = out.slice(0, out.indexOf('\n\n')).split('\n').map((l) => /^(\S+)/.exec(l)?.[1]);
    for (const c of report.criteria) expect(starts, c.id).toContain(c.id);
    const ids: string[] = report.criteria.map((c) => c.id);
    expect(starts.filter((s) => s !== undefined && ids.includes(s))).toEqual(ids);
    // one rule under the criteria head, one under the key metrics head
    expect(lines.filter((l) => /^─+$/.test(l))).toHaveLength(2);
    expect(lines.filter((l) => /[│┼├┤]/.test(l))).toEqual([]);
  });

  it('folds the detail of a failed or skipped criterion under its row, whole', () => {
    const report = failing();
    const lines = plain(renderTerminal(report, { color: false, width: 80 })).split('\n');
    const row = lines.findIndex((l) => l.startsWith('connect '));
    const next = lines.findIndex((l, i) => i > row && /^\S/.test(l));
    const folded = lines.slice(row + 1, next).join(' ').replace(/\s+/g, ' ');
    expect(folded).toContain('↳ failed attempts: connection refused x 12');
    // the long URL is broken over lines, not cut short
    expect(folded.replace(/ /g, '')).toContain('/that/no/column/holds/on/one/line');
    expect(plain(renderTerminal(report, { color: false, width: 80 }))).not.toContain('…');
    // a pass shows no detail
    const passed = report.criteria.find((c) => c.status === 'pass' && c.detail);
    if (passed) expect(lines.join('\n')).not.toContain(passed.detail);
  });

  it('ends with the verdict line, wrapped to the width', () => {
    const report = { ...failing(), verdictReason: `${'a long reason '.repeat(12)}end` };
    const out = plain(renderTerminal(report, { color: false, width: 80 }));
    const tail = out.trimEnd().split('\n').slice(-3).join(' ');
    expect(tail).toMatch(/verdict: FAIL - a long reason/);
    expect(out.trimEnd().endsWith('end')).toBe(true);
  });
});

describe('fitColumns', () => {
  it('keeps natural widths when they fit, and splits two flexible columns for the fewest lines', () => {
    const cols = [['criterion', 'connect'], ['status', 'PASS'], ['observed', 'x'.repeat(30)], ['threshold', 'y '.repeat(20).trim()]];
    expect(fitColumns(cols, 120, 2)).toEqual([11, 8, 32, 41]);
    const [id, st, a, b] = fitColumns(cols, 80, 2);
    expect([id, st]).toEqual([11, 8]);
    expect(id + st + a + b).toBe(82);
    // observed is one word: it is kept whole, the threshold wraps instead
    expect(a).toBe(32);
    expect(linesNeeded('y '.repeat(20).trim(), b - 2)).toBe(2);
  });
});

describe('the progress line', () => {
  const tick: RunProgress = { phase: 'ramp', elapsedMs: 1000, open: 3, planned: 10, messagesPerSec: 0, latencyP99Ms: null, violations: 0, disconnects: 0 };

  it('shows "-" for the p99 before any message, not 0.0 ms', () => {
    expect(progressLine(tick)).toContain('p99 -');
    expect(progressLine(tick)).not.toContain('0.0 ms');
    expect(progressLine({ ...tick, latencyP99Ms: 3.25 })).toContain('p99 3.3 ms');
  });

  it('the recorder has no p99 for a second without messages', () => {
    const r = new Recorder();
    expect(r.secondStats(1).latencyP99Ms).toBeNull();
    r.frame(2500, 'tps_update', 100);
    expect(r.secondStats(2).latencyP99Ms).toBeNull();
    r.latency(2600, 4000);
    expect(r.secondStats(2).latencyP99Ms).toBeCloseTo(4, 1);
  });

  it('fits the width it is given, a column to spare (it overwrites itself)', () => {
    const big: RunProgress = { phase: 'steady', elapsedMs: 1_234_000, open: 100_000, planned: 100_000, messagesPerSec: 1_234_567, latencyP99Ms: 1234.5, violations: 123_456, disconnects: 65_432 };
    for (const width of [80, 100, 120]) expect(progressLine(big, width).length).toBeLessThan(width);
    expect(progressLine(big, 80)).toContain('p99 1235 ms');
    expect(progressLine(big)).toContain('violations 123456  disconnects 65432');
  });
});

describe('the baseline table on the terminal', () => {
  it('fits 80 and 120 columns, a regression named on its metric\'s line', () => {
    const base = toBaseline(fixtureReport());
    const worse = { ...base, metrics: { ...base.metrics, latency_p99: (base.metrics.latency_p99 ?? 1) * 3 + 50 } };
    const c = compareBaseline(base, worse, undefined, '/a/rather/long/path/to/baselines/load-100-with-a-long-name.json');
    for (const width of [80, 120]) {
      const out = renderComparisonTerminal(c, { color: true, width });
      expect(widest(out), String(width)).toBeLessThanOrEqual(width);
      expect(plain(out)).toMatch(/^latency_p99 .*REGRESSION$/m);
      expect(plain(out)).not.toMatch(/[│┼├┤]/);
    }
  });
});
