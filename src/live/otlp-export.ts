import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ExportResult } from '@opentelemetry/core';
import { LIVE_METRICS, LIVE_QUANTILES, type LiveLabels, type LiveMetricName } from '../metrics/live-names.js';
import { quantileSeconds, type LiveFrame } from './frame.js';
import type { LiveSink } from './live-view.js';
import { PushStats } from './push-stats.js';

/**
 * How often the SDK exports, unless OTEL_METRIC_EXPORT_INTERVAL says (the
 * SDK's own variable, read by the CLI): 10 s, as k6's OpenTelemetry output
 * (K6_OTEL_EXPORT_INTERVAL); the SDK's default is 60 s. Not each second, as
 * remote write: the SDK's collection, its JSON and a request cost a few ms
 * of CPU each time, and every 5 s that was the largest part of what
 * watching a run costs after remote write (bench/live-cost.js). The last
 * export carries the report's figures whatever the interval.
 */
export const OTLP_EXPORT_MS = 10_000;
/** An export ends before the next begins (the SDK's rule), and gets 2 s as a remote write push does. */
const exportTimeoutMs = (intervalMs: number) => Math.max(100, Math.min(2000, intervalMs - 100));


/**
 * `--export otlp=<url>`: the run's metrics over OTLP/HTTP (JSON) with the
 * official OpenTelemetry SDK, every OTLP_EXPORT_MS. Observable instruments read the
 * latest frame; the SDK's reader exports them on its own timer, off the
 * run's path. The exporter is wrapped to count each export's result; the
 * last export, at the end, carries the report's figures.
 */
export class OtlpExport implements LiveSink {
  private readonly push: PushStats;
  private frame?: LiveFrame;
  private labels?: LiveLabels;
  private readonly provider: MeterProvider;
  private readonly reader: PeriodicExportingMetricReader;

  constructor(url: string, problem: (line: string) => void, intervalMs = OTLP_EXPORT_MS, service = 'livestream-bench') {
    this.push = new PushStats('otlp', url, problem);
    const timeoutMs = exportTimeoutMs(intervalMs);
    const inner = new OTLPMetricExporter({ url, timeoutMillis: timeoutMs, temporalityPreference: AggregationTemporality.CUMULATIVE });
    const push = this.push;
    const counted: PushMetricExporter = {
      export(metrics: ResourceMetrics, done: (r: ExportResult) => void) {
        inner.export(metrics, (r) => {
          if (r.code === 0) push.ok();
          else push.fail(r.error ?? new Error('export failed'));
          done(r);
        });
      },
      forceFlush: () => inner.forceFlush(),
      shutdown: () => inner.shutdown(),
      selectAggregationTemporality: (k) => inner.selectAggregationTemporality(k),
    };
    this.reader = new PeriodicExportingMetricReader({ exporter: counted, exportIntervalMillis: intervalMs, exportTimeoutMillis: timeoutMs });
    this.provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': service }), readers: [this.reader] });
    this.instruments();
  }

  private instruments(): void {
    const meter = this.provider.getMeter('livestream-bench');
    const gauge = (name: LiveMetricName, unit?: string) => meter.createObservableGauge(name, { description: LIVE_METRICS[name].help, ...(unit ? { unit } : {}) });
    const counter = (name: LiveMetricName, unit?: string) => meter.createObservableCounter(name, { description: LIVE_METRICS[name].help, ...(unit ? { unit } : {}) });
    const open = gauge('livestream_clients_open');
    const planned = gauge('livestream_clients_planned');
    const messages = counter('livestream_messages_total');
    const bytes = counter('livestream_bytes_total', 'By');
    const violations = counter('livestream_violations_total');
    const disconnects = counter('livestream_disconnects_total');
    const reconnects = counter('livestream_reconnects_total');
    const latency = gauge('livestream_latency_seconds', 's');
    const latencyRun = gauge('livestream_latency_run_seconds', 's');
    const latencyCount = counter('livestream_latency_count');
    const cpu = gauge('livestream_target_cpu_share');
    const rss = gauge('livestream_target_rss_bytes', 'By');
    const failing = gauge('livestream_criterion_failing');
    meter.addBatchObservableCallback(
      (r) => {
        const f = this.frame;
        const base = this.labels;
        if (!f || !base) return;
        const last = f.points[f.points.length - 1];
        r.observe(open, last?.open ?? f.open, base);
        r.observe(planned, f.planned, base);
        for (const [channel, n] of Object.entries(f.totals.messages)) r.observe(messages, n, { ...base, channel });
        r.observe(bytes, f.totals.bytes, base);
        r.observe(violations, f.totals.violations, base);
        r.observe(disconnects, f.totals.disconnects, base);
        r.observe(reconnects, f.totals.reconnects, base);
        for (const q of LIVE_QUANTILES) {
          if (last) r.observe(latency, quantileSeconds(last.latencyMs, q), { ...base, quantile: String(q) });
          r.observe(latencyRun, quantileSeconds(f.latencyRunMs, q), { ...base, quantile: String(q) });
        }
        r.observe(latencyCount, f.latencyRunMs.count, base);
        if (f.target?.cpuShare != null) r.observe(cpu, f.target.cpuShare, base);
        if (f.target?.rssBytes != null) r.observe(rss, f.target.rssBytes, base);
        for (const c of f.criteria) if (c.status !== 'pending') r.observe(failing, c.status === 'fail' ? 1 : 0, { ...base, criterion: c.id });
      },
      [open, planned, messages, bytes, violations, disconnects, reconnects, latency, latencyRun, latencyCount, cpu, rss, failing],
    );
  }

  second(frame: LiveFrame, labels: LiveLabels): void {
    this.frame = frame;
    this.labels = labels;
  }

  async finish(frame: LiveFrame, labels: LiveLabels): Promise<void> {
    this.frame = frame;
    this.labels = labels;
    await this.reader.forceFlush();
  }

  async close(): Promise<void> {
    await this.provider.shutdown();
  }

  stats() {
    return this.push.stats();
  }
}
