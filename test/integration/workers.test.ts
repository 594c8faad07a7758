// Apart from the shards' file so the two heaviest runs of the suite can share its two workers.
import { describe, expect, it } from 'vitest';
import { startRun } from '../../src/engine/run.js';
import { defaultSettings, type RunSettings } from '../../src/scenario/settings.js';
import { startSimulator } from '../../src/simulator/index.js';
import { buildReport } from '../../src/verdict/report.js';

const run = async (s: Partial<RunSettings>) => buildReport(await startRun(defaultSettings({ clients: 20, rampMs: 500, durationMs: 5000, chaos: undefined, ...s })).result);

describe('many processes on one machine, one run', () => {
  it('runs the clients in worker processes and merges what they measured', async () => {
    const sim = await startSimulator({ port: 0 });
    try {
      const r = await run({ target: sim.url, workers: 2 });
      expect(r.settings.workers).toBe(2);
      expect(r.metrics.clients.planned).toBe(20);
      expect(r.metrics.clients.connectedFirstTry).toBe(20);
      expect(r.metrics.clients.held).toBe(20);
      expect(r.criteria.filter((c) => c.status === 'fail')).toEqual([]);
      expect(r.metrics.channels.every((c) => c.received > 0 && c.lost === 0)).toBe(true);
    } finally {
      await sim.close();
    }
  });
});
