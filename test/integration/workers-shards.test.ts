import { describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../src/metrics/histogram.js';
import { mergeAll } from '../../src/metrics/snapshot.js';
import { startRun } from '../../src/engine/run.js';
import { defaultSettings, type RunSettings } from '../../src/scenario/settings.js';
import { startSimulator } from '../../src/simulator/index.js';
import { buildReport } from '../../src/verdict/report.js';
import { mergeReports } from '../../src/verdict/merge.js';
import { BenchError } from '../../src/errors.js';

const run = async (s: Partial<RunSettings>) => buildReport(await startRun(defaultSettings({ clients: 20, rampMs: 500, durationMs: 5000, chaos: undefined, ...s })).result);

describe('many processes and many machines, one run', () => {
  it('two shards merged count the same as one run of the same total, and merge exactly', async () => {
    const sim = await startSimulator({ port: 0 });
    try {
      // the shards and the whole run side by side against the same stream
      const [a, b, whole] = await Promise.all([
        run({ target: sim.url, shard: { index: 0, count: 2 } }),
        run({ target: sim.url, shard: { index: 1, count: 2 } }),
        run({ target: sim.url }),
      ]);
      expect(a.metrics.clients.planned + b.metrics.clients.planned).toBe(20);
      const merged = mergeReports([a, b]);
      expect(merged.metrics.clients.planned).toBe(whole.metrics.clients.planned);
      expect(merged.metrics.clients.connectedFirstTry).toBe(whole.metrics.clients.connectedFirstTry);
      expect(merged.metrics.clients.held).toBe(whole.metrics.clients.held);
      // exact: the merge adds the shards' counts and histograms
      expect(merged.metrics.frames).toBe(a.metrics.frames + b.metrics.frames);
      expect(merged.metrics.latencyMs.count).toBe(a.metrics.latencyMs.count + b.metrics.latencyMs.count);
      const union = decodeHistogram(mergeAll([a.snapshot, b.snapshot]).histograms.latency_us!);
      expect(merged.metrics.latencyMs.p99).toBe(union.getValueAtPercentile(99) / 1000);
      // the same as the whole run, within the edges of timing: each run has its own clock, ramp and
      // steady window, so a tick landing at an edge of one run's window is counted there for each of its
      // clients and not in the other's: one message per client per channel (CI once: 10 apart, one
      // shard's whole tick). A lost or doubled shard is half the count off.
      const edge = whole.metrics.clients.planned;
      for (const ch of whole.metrics.channels) {
        const m = merged.metrics.channels.find((c) => c.channel === ch.channel)!;
        expect(Math.abs(m.received - ch.received), ch.channel).toBeLessThanOrEqual(Math.max(edge, ch.received * 0.05));
        expect(m.lost).toBe(ch.lost);
      }
      expect(merged.verdict).toBe(whole.verdict);
      expect(merged.criteria.map((c) => c.status)).toEqual(whole.criteria.map((c) => c.status));
    } finally {
      await sim.close();
    }
  });

  it('two shards run in turn, each against its own simulator, merge to inconclusive, not to a pass', async () => {
    const one = async (index: number) => {
      const sim = await startSimulator({ port: 0 });
      try {
        return await run({ target: sim.url, clients: 4, minClients: 4, durationMs: 1500, shard: { index, count: 2 } });
      } finally {
        await sim.close();
      }
    };
    const a = await one(0);
    const b = await one(1);
    expect(a.target.url).not.toBe(b.target.url);
    const merged = mergeReports([a, b]);
    expect(merged.verdict).toBe('inconclusive');
    expect(merged.verdictReason).toContain('the shards ran against different targets');
    expect(merged.verdictReason).toContain('the shards never ran together: no common steady window');
  });

  it('refuses to merge the same shard twice', async () => {
    const sim = await startSimulator({ port: 0 });
    try {
      const a = await run({ target: sim.url, clients: 4, durationMs: 1500, shard: { index: 0, count: 2 } });
      expect(() => mergeReports([a, a])).toThrow(BenchError);
    } finally {
      await sim.close();
    }
  });
});
