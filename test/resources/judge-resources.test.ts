import { describe, expect, it } from 'vitest';
import type { ResourcePoint, ResourceSeries } from '../../src/engine/resource-sampler.js';
import { judgeResources, MIN_MEMORY_POINTS } from '../../src/verdict/resources.js';
import { DEFAULT_THRESHOLDS } from '../../src/verdict/thresholds.js';

const MB = 1024 * 1024;
const T0 = 1_730_000_000_000;

function series(points: ResourcePoint[]): ResourceSeries {
  return { source: 'pid', origin: 'pid 42', intervalMs: 1000, points, errors: [], errorCount: 0, notes: [] };
}

/** One sample a second for `n` s: cpu share, and memory from `mem(i)`. */
function samples(n: number, cpu: (i: number) => number | null, mem: (i: number) => number | null): ResourcePoint[] {
  return Array.from({ length: n }, (_, i) => ({ t: T0 + i * 1000, cpuShare: cpu(i), rssBytes: mem(i) }));
}

describe('judgeResources', () => {
  it('passes a quiet, flat server and judges only the steady phase', () => {
    // a ramp burst (first 5 s) at 80 % CPU and +20 MB is outside the steady phase
    const pts = samples(40, (i) => (i < 5 ? 0.8 : 0.03), (i) => (i < 5 ? 30 * MB + i * 4 * MB : 50 * MB + (i % 3) * 100_000));
    const r = judgeResources(series(pts), T0 + 5000, T0 + 39_000, DEFAULT_THRESHOLDS);
    expect(r.server_cpu.status).toBe('pass');
    expect(r.server_cpu.observed).toMatch(/^mean 3\.0 %/);
    expect(r.server_memory.status).toBe('pass');
    expect(r.server_memory.detail).toMatch(/35 samples of RSS from pid 42/);
  });

  it('fails CPU above the threshold share of one core', () => {
    const r = judgeResources(series(samples(10, (i) => (i % 2 ? 0.08 : 0.16), () => 50 * MB)), T0, T0 + 9000, DEFAULT_THRESHOLDS);
    expect(r.server_cpu.status).toBe('fail');
    expect(r.server_cpu.observed).toBe('mean 12.0 %, max 16.0 % of one core');
  });

  it('fails memory whose floors rise 1.5 MB/min even when growth is small', () => {
    // a 12 MB GC saw-tooth every 10 s over 400 MB kept, the kept part growing 1.5 MB/min
    const pts = samples(60, () => 0.01, (i) => 400 * MB + (i * 1.5 * MB) / 60 + (i % 10) * 1.2 * MB);
    const r = judgeResources(series(pts), T0, T0 + 59_000, DEFAULT_THRESHOLDS);
    expect(r.server_memory.status).toBe('fail');
    expect(r.server_memory.observed).toMatch(/^floors 1\.50 MB\/min, growth 0\.4 % \(5 floors\)/);
  });

  it('fails memory on 10 % growth of its floors even below the slope bound', () => {
    // 5 MB heap whose floors grow 0.6 MB in 40 s: 0.9 MB/min but 12 % growth
    const pts = samples(41, () => 0.01, (i) => 5 * MB + (i * 0.6 * MB) / 40 + (i % 8) * 0.1 * MB);
    const r = judgeResources(series(pts), T0, T0 + 40_000, DEFAULT_THRESHOLDS);
    expect(r.server_memory.status).toBe('fail');
    expect(r.server_memory.observed).toMatch(/^floors 0\.90 MB\/min, growth 12\.0 %/);
  });

  it('skips a short window that grew and never fell, saying why; fails a leak through a saw-tooth', () => {
    // 20 s of a heap filling after a ramp: 900 MB rising 2 MB a second, never falling
    const filling = judgeResources(series(samples(21, () => 0.5, (i) => 900 * MB + i * 2 * MB)), T0, T0 + 20_000, DEFAULT_THRESHOLDS);
    expect(filling.server_memory.status).toBe('skipped');
    expect(filling.server_memory.detail).toMatch(/^RSS rose 120\.00 MB\/min over the 20 s window and never fell .* 600 s of steady phase are needed/);
    // 90 s of a leak through a GC saw-tooth: the floors rise
    const leak = judgeResources(series(samples(91, () => 0.01, (i) => 400 * MB + i * 0.2 * MB + (i % 10) * 2 * MB)), T0, T0 + 90_000, DEFAULT_THRESHOLDS);
    expect(leak.server_memory.status).toBe('fail');
    expect(leak.server_memory.detail).toMatch(/^the floors after 9 collections rose 12\.00 MB\/min/);
  });

  it('skips with a reason when the steady phase holds too few samples', () => {
    const pts = samples(MIN_MEMORY_POINTS - 1, () => null, () => 50 * MB);
    const r = judgeResources(series(pts), T0, T0 + 60_000, DEFAULT_THRESHOLDS);
    expect(r.server_cpu.status).toBe('skipped');
    expect(r.server_cpu.detail).toMatch(/only 0 CPU sample/);
    expect(r.server_memory.status).toBe('skipped');
    expect(r.server_memory.detail).toMatch(new RegExp(`only ${MIN_MEMORY_POINTS - 1} memory sample\\(s\\) .* ${MIN_MEMORY_POINTS} needed`));
  });

  it('judges CPU without memory when the source has no memory figure', () => {
    const r = judgeResources(series(samples(20, () => 0.02, () => null)), T0, T0 + 19_000, DEFAULT_THRESHOLDS);
    expect(r.server_cpu.status).toBe('pass');
    expect(r.server_memory.status).toBe('skipped');
  });
});
