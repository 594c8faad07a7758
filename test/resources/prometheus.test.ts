import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExposition, readResourceMetrics } from '../../src/engine/prometheus-source.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/prometheus/${name}`, import.meta.url), 'utf8');

describe('Prometheus text exposition', () => {
  it('reads a Quarkus/Micrometer exposition: process_cpu_usage x system_cpu_count, jvm_memory_used_bytes summed', () => {
    const r = readResourceMetrics(fixture('quarkus-micrometer.txt'));
    expect(r.cpuSeconds).toBeUndefined();
    expect(r.cpuShare).toBeCloseTo(0.0125 * 8, 12); // 1.25 % of 8 cores = 10 % of one
    expect(r.memoryBytes).toBe(125_536_576); // heap + non-heap pools, 8 series
    expect(r.basis.join(' ')).toMatch(/system_cpu_count \(8\)/);
    expect(r.basis.join(' ')).toMatch(/not RSS/);
    // the JVM heap that server_memory judges: heap pools only, and the long-lived pool after the last major GC
    expect(r.heapBytes).toBe(18_874_368); // G1 Old Gen: not Eden, not Survivor
    expect(r.heapLiveBytes).toBe(21_315_584);
    expect(r.basis.join(' ')).toMatch(/heap after collection: jvm_gc_live_data_size_bytes/);
  });

  it('reads a Micrometer 1.13 scrape after a young GC: the old generation in use, no heap-after-collection figure before the first major GC', () => {
    const r = readResourceMetrics(fixture('quarkus-micrometer-after-young-gc.txt'));
    expect(r.cpuSeconds).toBe(41);
    expect(r.heapBytes).toBe(24_117_248); // G1 Old Gen
    expect(r.heapLiveBytes).toBeUndefined(); // 0 until the first major collection
    expect(r.memoryBytes).toBe(24_117_248 + 3_145_728 + 1_431_424 + 5_902_592 + 15_859_456 + 5_316_608 + 47_710_208);
  });

  it('keeps labels, Java number syntax and summaries of the Micrometer exposition', () => {
    const s = parseExposition(fixture('quarkus-micrometer.txt'));
    const used = s.get('jvm_memory_used_bytes')!;
    expect(used).toHaveLength(8);
    expect(used.find((x) => x.labels.id === "CodeHeap 'profiled nmethods'")).toEqual({
      value: 16_231_936,
      labels: { area: 'nonheap', id: "CodeHeap 'profiled nmethods'" },
    });
    expect(s.get('process_start_time_seconds')![0].value).toBe(1_730_103_115.416);
    expect(s.get('jvm_memory_max_bytes')!.find((x) => x.labels.id === 'Metaspace')!.value).toBe(-1);
    expect(s.get('http_server_active_requests')![0].value).toBe(1); // after the empty HELP line
    // summary _count/_sum are not plain samples
    expect(s.has('http_server_requests_seconds_count')).toBe(false);
    expect(s.get('http_server_requests_seconds_max')).toHaveLength(2);
  });

  it('reads a Node prom-client exposition: process_cpu_seconds_total as a counter, RSS', () => {
    const r = readResourceMetrics(fixture('node-prom-client.txt'));
    expect(r.cpuSeconds).toBe(12.34);
    expect(r.cpuShare).toBeUndefined();
    expect(r.memoryBytes).toBe(83_886_080);
    const s = parseExposition(fixture('node-prom-client.txt'));
    expect(s.get('livestream_sim_messages_sent_total')!.find((x) => x.labels.type === 'tps_update')!.value).toBe(3);
    expect(s.get('nodejs_version_info')![0].labels).toMatchObject({ version: 'v20.20.2', major: '20' });
    expect(s.has('nodejs_eventloop_lag_mean_seconds')).toBe(false); // "Nan" is no figure
    expect(s.has('livestream_sim_tick_send_lag_seconds_bucket')).toBe(false); // histogram internals
  });

  it('keeps the last sample of a text without a final newline', () => {
    const r = readResourceMetrics('# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 3.5\nprocess_resident_memory_bytes 1024');
    expect(r).toMatchObject({ cpuSeconds: 3.5, memoryBytes: 1024 });
  });

  it('prefers the CPU counter over the gauge and RSS over JVM memory', () => {
    const r = readResourceMetrics([
      'process_cpu_usage 0.5', 'system_cpu_count 4', 'process_cpu_seconds_total 7',
      'jvm_memory_used_bytes{area="heap",id="x"} 10', 'process_resident_memory_bytes 99', '',
    ].join('\n'));
    expect(r).toMatchObject({ cpuSeconds: 7, memoryBytes: 99 });
    expect(r.cpuShare).toBeUndefined();
  });

  it('reads Micrometer 1.13+ process_cpu_time_ns_total in seconds', () => {
    expect(readResourceMetrics('process_cpu_time_ns_total 2.5E9\n').cpuSeconds).toBe(2.5);
  });

  it('takes process_cpu_usage as is without system_cpu_count, and says so', () => {
    const r = readResourceMetrics('process_cpu_usage 0.25\n');
    expect(r.cpuShare).toBe(0.25);
    expect(r.basis[0]).toMatch(/no system_cpu_count/);
  });

  it('throws on text that is not the exposition format', () => {
    expect(() => readResourceMetrics('<html><body>{"oops": 1}</body></html>\nfoo{bar 1\n')).toThrow();
  });
});
