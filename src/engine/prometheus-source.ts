import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import type { ResourceReading, ResourceSource } from './resource-sampler.js';

/**
 * A target's own Prometheus endpoint (`--metrics-url`), parsed with
 * parse-prometheus-text-format. Names read, best first:
 *
 * CPU
 * - `process_cpu_seconds_total` (Prometheus clients, prom-client): a counter
 *   of CPU seconds; the sampler turns its increase into a share of one core.
 * - `process_cpu_time_ns_total` (Micrometer 1.13+ `process.cpu.time`): the
 *   same counter in nanoseconds.
 * - `process_cpu_usage` (Micrometer, so Quarkus): a gauge of the JVM's
 *   "recent" CPU load as a share of *all* cores (OperatingSystemMXBean
 *   getProcessCpuLoad). Times `system_cpu_count` it is a share of one core:
 *   0.0125 on 8 cores is 0.1 of one core. Without `system_cpu_count` it is
 *   taken as is, which understates a multi-core machine, and a note says so.
 *
 * Memory
 * - `process_resident_memory_bytes`: the resident set size.
 * - `jvm_memory_used_bytes` summed over its series (every `area`/`id`: heap
 *   and non-heap pools) when there is no RSS. It is the JVM's used memory,
 *   not RSS: heap usage saw-tooths with each GC, so judge it over longer runs.
 *
 * JVM heap, which `server_memory` prefers to RSS (a JVM keeps its heap
 * committed, so its RSS rarely falls and cannot show a collection)
 * - `jvm_gc_live_data_size_bytes` (Micrometer JvmGcMetrics): the long-lived
 *   pool after the last major collection; every value is a post-collection
 *   floor. Taken when non-zero (0 until the first major collection).
 * - `jvm_memory_used_bytes{area="heap"}` summed over the long-lived heap
 *   pools (every heap pool but Eden, Survivor, Nursery: `G1 Old Gen`,
 *   `Tenured Gen`, or ZGC's and Shenandoah's one pool). Not the young pools:
 *   a young collection moves what survived into the old generation, where
 *   it dies later, so floors after young collections rise with no leak
 *   (8 MB/min measured on a G1 JVM); the old generation falls only at a
 *   mixed or full collection, and those floors are what the heap keeps.
 */

export interface MetricsSample {
  value: number;
  labels: Record<string, string>;
}

/** Every finite sample of the exposition, by sample name (`_bucket`/`_sum`/`_count` of histograms and summaries dropped). */
export function parseExposition(text: string): Map<string, MetricsSample[]> {
  // Two quirks of the parser, worked around here: it throws on a HELP line
  // with no text, which Micrometer writes for meters without a description
  // (`# HELP http_server_active_requests  `), and it drops the last sample
  // when the text has no final newline. HELP is not needed, so it goes.
  const lines = text.split('\n').filter((l) => !l.trimStart().startsWith('# HELP'));
  const families = parsePrometheusTextFormat(`${lines.join('\n')}\n`);
  const out = new Map<string, MetricsSample[]>();
  for (const family of families) {
    for (const m of family.metrics) {
      if (m.value === undefined) continue;
      const value = Number(m.value);
      if (!Number.isFinite(value)) continue;
      const list = out.get(family.name) ?? [];
      list.push({ value, labels: m.labels ?? {} });
      out.set(family.name, list);
    }
  }
  return out;
}

/** Heap pools a young collection empties (HotSpot, OpenJ9 names). */
const YOUNG_POOL = /eden|survivor|nursery|young/i;

export interface MetricsReading extends ResourceReading {
  /** How each figure was derived, for the report. */
  basis: string[];
}

/** The CPU and memory figures of one exposition. Pure. */
export function readResourceMetrics(text: string): MetricsReading {
  const samples = parseExposition(text);
  const first = (name: string): number | undefined => samples.get(name)?.[0]?.value;
  const basis: string[] = [];
  const reading: MetricsReading = { basis };

  const cpuSeconds = first('process_cpu_seconds_total');
  const cpuNs = first('process_cpu_time_ns_total');
  const usage = first('process_cpu_usage');
  if (cpuSeconds !== undefined) {
    reading.cpuSeconds = cpuSeconds;
    basis.push('CPU: rate of process_cpu_seconds_total');
  } else if (cpuNs !== undefined) {
    reading.cpuSeconds = cpuNs / 1e9;
    basis.push('CPU: rate of process_cpu_time_ns_total');
  } else if (usage !== undefined) {
    const cores = first('system_cpu_count');
    if (cores !== undefined && cores > 0) {
      reading.cpuShare = usage * cores;
      basis.push(`CPU: process_cpu_usage x system_cpu_count (${cores}), a share of one core`);
    } else {
      reading.cpuShare = usage;
      basis.push('CPU: process_cpu_usage as is (no system_cpu_count: a share of all cores, understated on a multi-core machine)');
    }
  }

  const rss = first('process_resident_memory_bytes');
  const jvm = samples.get('jvm_memory_used_bytes');
  if (rss !== undefined) {
    reading.memoryBytes = rss;
    basis.push('memory: process_resident_memory_bytes');
  } else if (jvm && jvm.length > 0) {
    reading.memoryBytes = jvm.reduce((a, s) => a + s.value, 0);
    basis.push(`memory: jvm_memory_used_bytes summed over ${jvm.length} pools (JVM used memory, not RSS)`);
  }
  const heap = jvm?.filter((s) => s.labels.area === 'heap' && !YOUNG_POOL.test(s.labels.id ?? '')) ?? [];
  if (heap.length > 0) {
    reading.heapBytes = heap.reduce((a, s) => a + s.value, 0);
    basis.push(`heap: jvm_memory_used_bytes{area="heap"} of the long-lived pool${heap.length > 1 ? 's' : ''} (${heap.map((s) => s.labels.id).join(', ')}; server_memory judges its floors after collections)`);
  }
  const live = first('jvm_gc_live_data_size_bytes');
  if (live !== undefined && live > 0) {
    reading.heapLiveBytes = live;
    basis.push('heap after collection: jvm_gc_live_data_size_bytes');
  }
  return reading;
}

export interface PrometheusSourceOptions {
  /** A scrape slower than this fails. Default 3000 ms. */
  timeoutMs?: number;
  headers?: Record<string, string>;
}

export function prometheusSource(url: string, options: PrometheusSourceOptions = {}): ResourceSource {
  const notes: string[] = [];
  const timeoutMs = options.timeoutMs ?? 3000;
  return {
    kind: 'metrics',
    origin: url,
    notes,
    async read(): Promise<ResourceReading> {
      let text: string;
      try {
        const res = await fetch(url, {
          headers: { accept: 'text/plain;version=0.0.4;q=1, */*;q=0.1', ...options.headers },
          signal: AbortSignal.timeout(timeoutMs),
        });
        text = await res.text();
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
      } catch (err) {
        const e = err as Error & { cause?: { code?: string } };
        const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.message);
        throw new Error(`scrape of ${url} failed: ${why}`);
      }
      let reading: MetricsReading;
      try {
        reading = readResourceMetrics(text);
      } catch (err) {
        throw new Error(`scrape of ${url} is not Prometheus text: ${(err as Error).message.slice(0, 200)}`);
      }
      if (reading.cpuSeconds === undefined && reading.cpuShare === undefined && reading.memoryBytes === undefined && reading.heapBytes === undefined) {
        throw new Error(`scrape of ${url} has none of process_cpu_seconds_total, process_cpu_usage, process_resident_memory_bytes, jvm_memory_used_bytes`);
      }
      // The basis of the latest good scrape.
      notes.splice(0, notes.length, ...reading.basis);
      const { basis: _basis, ...figures } = reading;
      return figures;
    },
  };
}
