import { describe, expect, it } from 'vitest';
import { runAgainstSimulator } from '../helpers/run.js';

describe('capacity runs with --check-sample', () => {
  it('checks values on the sampled clients only, and still counts every message and loss on all', async () => {
    const r = await runAgainstSimulator({ faults: ['legacy'] }, { clients: 20, minClients: 10, checkSample: 0.25 });
    expect(r.metrics.checked).toEqual({ full: 5, light: 15 });
    expect(r.settings.checkSample).toBe(0.25);
    // legacy's per-client values are still caught by the sampled clients
    expect(r.criteria.find((c) => c.id === 'data_consistency')?.status).toBe('fail');
    expect(r.criteria.find((c) => c.id === 'data_consistency')?.detail).toContain('checked on 5 of 20');
    // every client's messages are accounted, sampled or not
    expect(r.metrics.channels.find((c) => c.channel === 'tps_updates')!.streams).toBe(20);
  });
});

describe('spreading clients over loopback addresses', () => {
  it('the embedded simulator listens on each address and the clients use them all', async () => {
    const { startRun } = await import('../../src/engine/run.js');
    const { defaultSettings } = await import('../../src/scenario/settings.js');
    const { buildReport } = await import('../../src/verdict/report.js');
    const run = startRun(defaultSettings({ clients: 12, minClients: 10, rampMs: 0, durationMs: 3000, chaos: undefined, probes: false, spread: 3 }));
    let urls: string[] | undefined;
    run.on('start', (t) => (urls = t.urls));
    const r = buildReport(await run.result);
    expect(urls).toHaveLength(3);
    expect(new Set(urls!.map((u) => new URL(u).hostname))).toEqual(new Set(['127.0.0.1', '127.0.0.2', '127.0.0.3']));
    expect(r.settings.addresses).toBe(3);
    expect(r.metrics.clients.connectedFirstTry).toBe(12);
    expect(r.criteria.filter((c) => c.status === 'fail')).toEqual([]);
  });
});
