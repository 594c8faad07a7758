import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { parseProcStat, parseVmRss, pidSource } from '../../src/engine/pid-source.js';
import { prometheusSource } from '../../src/engine/prometheus-source.js';
import { ResourceSampler, type ResourcePoint } from '../../src/engine/resource-sampler.js';
import { startSimulator } from '../../src/simulator/index.js';
import { wallNow } from '../../src/engine/time.js';

/** Resolves with the sampler's points once it has `n`, or rejects after `ms`. */
function points(sampler: ResourceSampler, n: number, ms = 5000): Promise<ResourcePoint[]> {
  const got: ResourcePoint[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${got.length} of ${n} samples in ${ms} ms`)), ms);
    sampler.on('point', (p) => {
      got.push(p);
      if (got.length === n) {
        clearTimeout(timer);
        resolve(got);
      }
    });
  });
}

describe('/proc parsing', () => {
  it('counts stat fields from the last parenthesis, whatever the command name holds', () => {
    const line = '4242 (node (worker) x) S 1 4242 4242 0 -1 4194560 9000 0 12 0 1234 567 0 0 20 0 11 0 9876 1200000000 20000 18446744073709551615\n';
    expect(parseProcStat(line)).toEqual({ utime: 1234, stime: 567, startTime: '9876' });
    expect(() => parseProcStat('garbage')).toThrow();
  });

  it('reads VmRSS in bytes', () => {
    expect(parseVmRss('Name:\tnode\nVmPeak:\t 100 kB\nVmRSS:\t   51200 kB\nRssAnon:\t 1 kB\n')).toBe(51200 * 1024);
    expect(parseVmRss('Name:\tzombie\n')).toBeUndefined();
  });
});

// Alone, not concurrent: its busy loop blocks every timer of the file.
describe('ResourceSampler on a busy process', () => {
  it('samples this process by pid: RSS, and a CPU share that rises while a busy loop runs', async () => {
    const sampler = new ResourceSampler(pidSource(process.pid), 100);
    // The process's own account of its CPU at each sample, to check the /proc figures against.
    const marks: { cpuMs: number; t: number }[] = [];
    sampler.on('point', () => {
      const u = process.cpuUsage();
      marks.push({ cpuMs: (u.user + u.system) / 1000, t: wallNow() });
    });
    const idle = points(sampler, 3);
    sampler.start();
    await idle;
    const after = points(sampler, 1);
    const until = Date.now() + 300;
    let spin = 0;
    while (Date.now() < until) spin++; // blocks the loop: the next read spans the busy 300 ms
    const [busy] = await after;
    const series = sampler.stop();
    expect(spin).toBeGreaterThan(0);
    expect(series.source).toBe('pid');
    expect(series.errorCount).toBe(0);
    expect(series.points[0].cpuShare).toBeNull(); // a counter needs two reads
    expect(series.points.every((p) => (p.rssBytes ?? 0) > 10 * 1024 * 1024)).toBe(true);
    const i = series.points.indexOf(busy);
    const expected = (marks[i].cpuMs - marks[i - 1].cpuMs) / (marks[i].t - marks[i - 1].t);
    // The loop got CPU (most of a core on an idle machine; less when other
    // test processes share the two cores, so the bound is low)...
    expect(expected).toBeGreaterThan(0.1);
    // ...and /proc (10 ms ticks over a 300+ ms window) agrees with the process's own count.
    expect(Math.abs(busy.cpuShare! - expected)).toBeLessThan(0.1);
    const idleShares = series.points.slice(1, i).map((p) => p.cpuShare!);
    expect(busy.cpuShare!).toBeGreaterThan(Math.max(...idleShares));
  });
});

describe.concurrent('ResourceSampler', () => {
  it('counts reads of a process that is gone as errors, and keeps going', async () => {
    const sampler = new ResourceSampler(pidSource(2 ** 22 + 12345), 50); // above pid_max
    const failed: string[] = [];
    sampler.on('readFailed', (e) => failed.push(e.message));
    sampler.start();
    await once(sampler, 'readFailed');
    await once(sampler, 'readFailed');
    const series = sampler.stop();
    expect(series.points).toEqual([]);
    expect(series.errorCount).toBeGreaterThanOrEqual(2);
    expect(failed[0]).toMatch(/is gone/);
  });

  it("samples the simulator's /metrics: prom-client's CPU counter and RSS", async () => {
    const sim = await startSimulator({ port: 0 });
    try {
      const sampler = new ResourceSampler(prometheusSource(`${sim.httpUrl}/metrics`), 200);
      const got = points(sampler, 4);
      sampler.start();
      await got;
      const series = sampler.stop();
      expect(series).toMatchObject({ source: 'metrics', origin: `${sim.httpUrl}/metrics`, errorCount: 0 });
      expect(series.notes).toEqual(['CPU: rate of process_cpu_seconds_total', 'memory: process_resident_memory_bytes']);
      const rest = series.points.slice(1);
      expect(rest.every((p) => p.cpuShare !== null && p.cpuShare >= 0 && p.cpuShare < 4)).toBe(true);
      expect(series.points.every((p) => (p.rssBytes ?? 0) > 10 * 1024 * 1024)).toBe(true);
      // one read per 200 ms slot, not back to back
      expect(series.points[3].t - series.points[0].t).toBeGreaterThan(400);
    } finally {
      await sim.close();
    }
  });

  it('records a failed scrape with its reason', async () => {
    const sim = await startSimulator({ port: 0 });
    const url = `${sim.httpUrl}/no-such-metrics`;
    try {
      const sampler = new ResourceSampler(prometheusSource(url), 100);
      const failed = once(sampler, 'readFailed');
      sampler.start();
      const [error] = await failed;
      sampler.stop();
      expect(error.message).toBe(`scrape of ${url} failed: HTTP 404`);
    } finally {
      await sim.close();
    }
  });
});
