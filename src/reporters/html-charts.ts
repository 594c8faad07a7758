import { decodeHistogram } from '../metrics/histogram.js';
import type { RenderableReport } from './view.js';

/**
 * The data of each chart in report.html, computed at render time from the
 * report (the latency distribution decoded from its HDR histogram). Pure.
 * Columns are uPlot's layout: x first, then one array per series; a null
 * is a gap (a second with no message has no latency).
 */
export interface ChartSeries {
  label: string;
  values: (number | null)[];
}

export interface ChartData {
  id: string;
  title: string;
  /** Epoch seconds for time charts; "nines" for the distribution. */
  x: number[];
  xKind: 'time' | 'nines';
  yLabel: string;
  series: ChartSeries[];
  /** Second y axis (right), for series whose `label` is listed. */
  y2?: { label: string; series: string[] };
  bars?: boolean;
}

export const CHART_IDS = ['latency', 'clients', 'messages', 'distribution', 'resources', 'reconnects'] as const;

/** Most lines the messages chart draws: the profile's channels, then everything else as "other". */
const OTHER = 'other';

/**
 * Latency percentiles for the distribution chart, evenly spaced in "nines":
 * x = -log10(1 - p), so x 1 is p90, 2 is p99, 3 is p99.9. The curve stops
 * where the histogram holds too few values to tell percentiles apart, and
 * ends with the maximum.
 *   1000 values -> x = 0, 0.1, ... 3.0 (p99.9), then the max at 3.1
 */
export function latencyDistribution(encoded: string | undefined): { x: number[]; ms: number[] } {
  if (!encoded) return { x: [], ms: [] };
  const h = decodeHistogram(encoded);
  const count = h.totalCount;
  if (count === 0) return { x: [], ms: [] };
  const steps = Math.min(50, Math.max(1, Math.ceil(10 * Math.log10(count))));
  const x: number[] = [];
  const ms: number[] = [];
  for (let k = 0; k <= steps; k += 1) {
    const p = 100 * (1 - 10 ** (-k / 10));
    x.push(k / 10);
    ms.push(h.getValueAtPercentile(p) / 1000);
  }
  x.push((steps + 1) / 10);
  ms.push(h.maxValue / 1000);
  return { x, ms };
}

export function chartData(report: RenderableReport): ChartData[] {
  const rows = report.series;
  const x = rows.map((r) => r.t);
  const channelTypes = new Map(report.metrics.channels.map((c) => [c.messageType, c.channel]));
  const channelMessages = rows.map((r) => Object.entries(r.messages).reduce((a, [type, n]) => a + (channelTypes.has(type) ? n : 0), 0));
  const latency = (v: number, i: number) => (channelMessages[i] > 0 ? v : null);

  const byChannel: ChartSeries[] = [...channelTypes].map(([type, channel]) => ({ label: channel, values: rows.map((r) => r.messages[type] ?? 0) }));
  const other = rows.map((r) => Object.entries(r.messages).reduce((a, [type, n]) => a + (channelTypes.has(type) ? 0 : n), 0));
  if (other.some((n) => n > 0)) byChannel.push({ label: OTHER, values: other });

  const dist = latencyDistribution(report.snapshot?.histograms?.latency_us);
  const charts: ChartData[] = [
    {
      id: 'latency',
      title: 'Latency percentiles over time',
      x,
      xKind: 'time',
      yLabel: 'one-way latency (ms)',
      series: [
        { label: 'p50', values: rows.map((r, i) => latency(r.latencyP50Ms, i)) },
        { label: 'p99', values: rows.map((r, i) => latency(r.latencyP99Ms, i)) },
      ],
    },
    { id: 'clients', title: 'Clients connected', x, xKind: 'time', yLabel: 'open connections', series: [{ label: 'open', values: rows.map((r) => r.open) }] },
    { id: 'messages', title: 'Messages per second by channel', x, xKind: 'time', yLabel: 'messages / s (all clients)', series: byChannel },
    { id: 'distribution', title: 'Latency distribution', x: dist.x, xKind: 'nines', yLabel: 'one-way latency (ms)', series: [{ label: 'latency', values: dist.ms }] },
  ];
  const resources = report.resources?.points;
  if (resources && resources.length > 0) {
    // Epoch ms or s: a value past 1e11 can only be ms (1e11 s is the year 5138).
    const t = (v: number) => (v > 1e11 ? v / 1000 : v);
    charts.push({
      id: 'resources',
      title: 'Target CPU and memory',
      x: resources.map((p) => t(p.t)),
      xKind: 'time',
      yLabel: 'CPU (% of one core)',
      series: [
        { label: 'CPU %', values: resources.map((p) => (p.cpuShare === null ? null : p.cpuShare * 100)) },
        { label: 'RSS MiB', values: resources.map((p) => (p.rssBytes === null ? null : p.rssBytes / 1024 / 1024)) },
      ],
      y2: { label: 'resident memory (MiB)', series: ['RSS MiB'] },
    });
  }
  charts.push({
    id: 'reconnects',
    title: 'Disconnects and reconnects',
    x,
    xKind: 'time',
    yLabel: 'events / s',
    series: [
      { label: 'unintended disconnects', values: rows.map((r) => r.disconnects) },
      { label: 'reconnects', values: rows.map((r) => r.reconnects) },
    ],
    bars: true,
  });
  return charts;
}
