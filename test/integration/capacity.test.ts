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
