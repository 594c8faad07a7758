import { describe, expect, it } from 'vitest';
import { keyMetrics } from '../../src/baseline/metrics.js';
import { startRun } from '../../src/engine/run.js';
import { Recorder } from '../../src/metrics/recorder.js';
import { mergeSnapshots } from '../../src/metrics/snapshot.js';
import { defaultSettings } from '../../src/scenario/settings.js';
import { reconnectP99Ms, uptimeFigure } from '../../src/verdict/figures.js';
import { buildReport, type Report } from '../../src/verdict/report.js';
import { fixtureRun, CLIENTS } from '../reporters/fixture.js';

/** The criterion's own figures, as its `observed` text shows them (judge.ts formats). */
const pct = (v: number) => `${(v * 100).toFixed(v === 1 || v === 0 ? 0 : 2)} %`;
const ms = (v: number) => (v >= 100 ? `${v.toFixed(0)} ms` : `${v.toFixed(1)} ms`);
const criterion = (r: Report, id: string) => r.criteria.find((c) => c.id === id)!;

/** The baseline's uptime and reconnect_p99 are the figures the criteria judged. */
function expectSameFigures(r: Report): void {
  const k = keyMetrics(r);
  expect(k.reconnect_p99).not.toBeNull();
  expect(k.reconnect_p99).toBe(reconnectP99Ms(r.metrics));
  expect(k.reconnect_p99).toBe(r.metrics.reconnect.cutFirstMessageMs.p99);
  expect(criterion(r, 'reconnect').observed).toContain(`p99 ${ms(k.reconnect_p99!)} to first message`);
  expect(k.uptime).toBe(uptimeFigure(r.metrics, r.metrics.clients.planned, r.steady.ms)!.share);
  expect(criterion(r, 'uptime').observed).toBe(pct(k.uptime!));
}

describe('baseline key metrics are the criteria figures', () => {
  it('uptime leaves out time away after a harness cut, and reconnect_p99 is cut -> first message (no sockets)', () => {
    const run = fixtureRun();
    const cuts = new Recorder();
    cuts.count('cuts:close', 2);
    cuts.count('cut_reopened', 2);
    cuts.count('cut_back', 2);
    cuts.observe('cut_first_message_us', 2_300_000);
    cuts.observe('cut_first_message_us', 3_100_000);
    // the two cut clients were away 3 s each: 6 client-seconds less streaming
    cuts.count('cut_away_ms', 6000);
    cuts.count('stream_ms', -6000);
    run.snapshot = mergeSnapshots(run.snapshot, cuts.snapshot());
    const r = buildReport(run);
    expect(criterion(r, 'uptime').status).toBe('pass');
    expectSameFigures(r);
    expect(keyMetrics(r).uptime).toBe(1);
    expect(keyMetrics(r).reconnect_p99).toBeGreaterThan(3000);
    // no target drop happened: the other reconnect histogram is empty
    expect(r.metrics.reconnect.firstMessageMs.count).toBe(0);
    expect(r.metrics.clients.planned).toBe(CLIENTS);
  });

  it('in a default run (chaos cuts 10 % of the connections), against the embedded simulator', async () => {
    const r = buildReport(await startRun(defaultSettings({ clients: 20, rampMs: 1000, durationMs: 12_000 })).result);
    expect(r.metrics.reconnect.cuts).toBe(2);
    expect(criterion(r, 'reconnect').status).toBe('pass');
    expectSameFigures(r);
  }, 60_000);
});
