import { describe, expect, it } from 'vitest';
import { parseQuantity } from '../../src/scenario/quantity.js';
import { formatThresholdTexts, parseThresholdText } from '../../src/verdict/threshold-text.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../../src/verdict/thresholds.js';

describe('readable thresholds', () => {
  it.each([
    ['latency', 'p99 < 250ms', { latencyP99Ms: 250 }],
    ['latency', 'p99 < 0.5s', { latencyP99Ms: 500 }],
    ['bandwidth', 'mean < 1024B/s', { bandwidthBps: 1024 }],
    ['bandwidth', 'mean < 2KiB/s and p99 < 2KB/s', { bandwidthBps: 2048 }],
    ['bandwidth', '< 512B/s', { bandwidthBps: 512 }],
    ['uptime', 'share >= 99.5%', { uptimeShare: 0.995 }],
    ['connect', '>= 90%', { connectShare: 0.9 }],
    ['handshake', 'p99 <= 2s', { welcomeP99Ms: 2000 }],
    ['fallback', 'ok >= 95%, p99 <= 3000ms', { fallbackOkShare: 0.95, fallbackP99Ms: 3000 }],
    ['server_cpu', 'mean < 25%', { serverCpuShare: 0.25 }],
    ['server_memory', 'slope < 512KB/min, growth < 5%', { memorySlopeMBPerMin: 0.5, memoryGrowthShare: 0.05 }],
    ['reconnect', 'p99 <= 20s', { reconnectP99Ms: 20_000 }],
  ] as [string, string, Partial<Thresholds>][])('%s: %s', (id, text, expected) => {
    const r = parseThresholdText(id, text);
    expect(r.problems).toEqual([]);
    expect(r.settings.thresholds).toEqual(expected);
  });

  it('maps concurrency onto the minimum clients', () => {
    expect(parseThresholdText('concurrency', 'clients >= 100').settings).toEqual({ thresholds: {}, minClients: 100 });
  });

  it('the readable defaults parse back to the defaults', () => {
    const texts = formatThresholdTexts(DEFAULT_THRESHOLDS, 10);
    const t: Partial<Thresholds> = {};
    for (const [id, text] of Object.entries(texts)) {
      const r = parseThresholdText(id, text!);
      expect(r.problems, `${id}: ${text}`).toEqual([]);
      Object.assign(t, r.settings.thresholds);
    }
    expect(t).toEqual(DEFAULT_THRESHOLDS);
  });

  it('demands the operator the verdict compares with, and says which', () => {
    const r = parseThresholdText('latency', 'p99 <= 500ms');
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toContain('write "p99 < 500ms"');
    expect(parseThresholdText('uptime', 'share > 99%').problems[0]).toContain('>=');
  });

  it.each([
    ['latency', 'p50 < 500ms', 'not a statistic'],
    ['latency', 'p99 < 500', 'is not a time'],
    ['bandwidth', 'mean < 1 furlong', 'is not a rate'],
    ['uptime', 'share >= 101%', 'more than 100%'],
    ['bandwidth', 'mean < 1024B/s, p99 < 2048B/s', 'disagrees'],
    ['latency', 'fast please', 'cannot read'],
    ['data_loss', '0', 'fixed threshold'],
    ['latnecy', 'p99 < 500ms', 'not a criterion id'],
  ])('%s: %s -> %s', (id, text, problem) => {
    const r = parseThresholdText(id, text);
    expect(r.problems.join('\n')).toContain(problem);
  });

  it('reports every bad clause of a line, not only the first', () => {
    expect(parseThresholdText('fallback', 'ok >= lots, p99 <= forever').problems).toHaveLength(2);
  });

  it('reads quantities in their unit only', () => {
    expect(parseQuantity('1.5s', 'time')).toBe(1500);
    expect(parseQuantity('1KB/s', 'rate')).toBe(1024);
    expect(parseQuantity('1MiB/min', 'slope')).toBe(1);
    expect(parseQuantity('10', 'count')).toBe(10);
    expect(parseQuantity('10%', 'time')).toBeUndefined();
    expect(parseQuantity('1.5', 'count')).toBeUndefined();
  });
});
