// Apart from the shards' file so the two heaviest runs of the suite can share its two workers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('workers slow to boot delay the whole run: no slice opens its clients in the steady phase', async () => {
    // each worker process busy for 2.5 s before its modules load, as on a loaded machine (CI once)
    const dir = mkdtempSync(join(tmpdir(), 'lsb-slow-boot-'));
    const preload = join(dir, 'slow.cjs');
    writeFileSync(preload, "if (process.send && process.argv[1].includes('worker-main')) { const end = Date.now() + 2500; while (Date.now() < end); }\n");
    const before = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = `${before ?? ''} --require ${preload}`.trim();
    const sim = await startSimulator({ port: 0 });
    try {
      const r = await run({ target: sim.url, workers: 2, clients: 6, minClients: 6 });
      // time 0 came after the boot: every client open before the steady phase, held through it
      expect(r.metrics.clients.held).toBe(6);
      expect(r.criteria.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.observed}`)).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = before;
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
