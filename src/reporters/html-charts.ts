import { decodeForReading, valuesAtPercentiles } from '../metrics/histogram.js';
import { findProfile } from '../profile/index.js';
import { fmtCount, fmtMs } from './format.js';
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
  /** What the legend shows with no cursor on the chart: the run's figure for the series. */
  summary: string;
}

/**
 * A moment of the run drawn across a time chart: the ramp, the steady
 * phase's start and end, the harness's cuts; `churn` is drawn like a cut,
 * for when the series records churn. `t` in epoch seconds.
 */
export interface ChartMarker {
  t: number;
  kind: 'ramp' | 'steady' | 'cut' | 'churn';
  label: string;
}

/** A horizontal line at a criterion's threshold, on the y scale of the series it limits. */
export interface ChartThreshold {
  label: string;
  value: number;
  scale: 'y' | 'y2';
}

export interface ChartData {
  id: string;
  title: string;
  /** Epoch seconds for time charts; "nines" for the distribution. */
  x: number[];
  xKind: 'time' | 'nines';
  yLabel: string;
  series: ChartSeries[];
  /** Second y axis (right), for series whose `label` is listed; `fromZero` false scales it to the data. */
  y2?: { label: string; series: string[]; fromZero: boolean };
  bars?: boolean;
  /** The legend's x value with no cursor on the chart. */
  xSummary: string;
  markers: ChartMarker[];
  thresholds: ChartThreshold[];
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
  // the live dashboard redraws each second from the same judged histogram: decoded once
  if (encoded === lastDistribution?.encoded) return lastDistribution.curve;
  const curve = distributionOf(encoded);
  lastDistribution = { encoded, curve };
  return curve;
}

let lastDistribution: { encoded: string; curve: { x: number[]; ms: number[] } } | undefined;

function distributionOf(encoded: string): { x: number[]; ms: number[] } {
  const h = decodeForReading(encoded);
  const count = h.totalCount;
  if (count === 0) return { x: [], ms: [] };
  const steps = Math.min(50, Math.max(1, Math.ceil(10 * Math.log10(count))));
  const x: number[] = [];
  const percentiles: number[] = [];
  for (let k = 0; k <= steps; k += 1) {
    percentiles.push(100 * (1 - 10 ** (-k / 10)));
    x.push(k / 10);
  }
  const ms = valuesAtPercentiles(h, percentiles).map((v) => v / 1000);
  x.push((steps + 1) / 10);
  ms.push(h.maxValue / 1000);
  return { x, ms };
}

/**
 * Messages per second over a trailing window of whole channel intervals, at
 * least `minMs` long: a channel ticking every 2 s counts 0, 1, 0, 1 ... in
 * one-second buckets (a sawtooth), but every 6 s window holds 3 of its ticks
 * per client. Null until the first window is full.
 *   interval 2 s, min 5 s -> window 6 s; counts [10,0,10,0,10,0,10] -> [null x5, 5, 5]
 */
export function windowedRate(counts: readonly number[], intervalMs: number, minMs = 5000): { values: (number | null)[]; windowS: number } {
  const step = Math.max(1, Math.round(intervalMs / 1000));
  const windowS = step * Math.max(1, Math.ceil(minMs / 1000 / step));
  let sum = 0;
  const values = counts.map((n, i) => {
    sum += n - (i >= windowS ? counts[i - windowS] : 0);
    return i + 1 >= windowS ? sum / windowS : null;
  });
  return { values, windowS };
}

/**
 * The profile's replies (welcome, subscribed, pong, error): protocol, not
 * stream, so not "other" messages. None when the profile cannot be found
 * where the report is rendered (a profile file left behind).
 */
function replyTypes(profile: string): Set<string> {
  try {
    const r = findProfile(profile)?.replies;
    return new Set(r ? [r.welcome, r.subscribed, r.pong, r.error].filter((t): t is string => t !== undefined) : []);
  } catch {
    return new Set();
  }
}

const secs = (iso: string) => Date.parse(iso) / 1000;
const total = (values: readonly (number | null)[]) => values.reduce<number>((a, v) => a + (v ?? 0), 0);

/**
 * The moments every time chart marks: ramp start, steady start and end,
 * each second with harness cuts, and the first and last second with churn
 * closes (a churn runs every second of the steady phase: a line each
 * second would hide the chart).
 *   --churn 20/s over steady 5 s..125 s -> "churn" at 5 s, "churn end" at 122 s (the last close leaves time to reopen)
 */
export function runMarkers(report: RenderableReport): ChartMarker[] {
  const markers: ChartMarker[] = [
    { t: secs(report.startedAt), kind: 'ramp', label: 'ramp' },
    { t: secs(report.steady.start), kind: 'steady', label: 'steady' },
    { t: secs(report.steady.end), kind: 'steady', label: 'end' },
  ];
  for (const r of report.series) {
    if ((r.cuts ?? 0) > 0) markers.push({ t: r.t, kind: 'cut', label: `${r.cuts} cut` });
  }
  const churned = report.series.filter((r) => (r.churns ?? 0) > 0);
  if (churned.length > 0) {
    markers.push({ t: churned[0].t, kind: 'churn', label: 'churn' });
    if (churned.length > 1) markers.push({ t: churned[churned.length - 1].t, kind: 'churn', label: 'churn end' });
  }
  return markers;
}

export function chartData(report: RenderableReport): ChartData[] {
  const rows = report.series;
  const m = report.metrics;
  const x = rows.map((r) => r.t);
  const span = `${rows.length} s`;
  const markers = runMarkers(report);
  const channels = new Map(m.channels.map((c) => [c.messageType, c]));
  const replies = replyTypes(report.target.profile);
  const channelMessages = rows.map((r) => Object.entries(r.messages).reduce((a, [type, n]) => a + (channels.has(type) ? n : 0), 0));
  const latency = (v: number, i: number) => (channelMessages[i] > 0 ? v : null);

  const windows = new Set<number>();
  const byChannel: ChartSeries[] = [...channels].map(([type, ch]) => {
    const rate = windowedRate(rows.map((r) => r.messages[type] ?? 0), ch.intervalMs);
    windows.add(rate.windowS);
    return { label: ch.channel, values: rate.values, summary: `${fmtCount(ch.received)} received` };
  });
  const other = rows.map((r) => Object.entries(r.messages).reduce((a, [type, n]) => a + (channels.has(type) || replies.has(type) ? 0 : n), 0));
  if (other.some((n) => n > 0)) byChannel.push({ label: OTHER, values: windowedRate(other, 1000).values, summary: `${fmtCount(total(other))} received` });
  const windowText = [...windows].sort((a, b) => a - b).map((w) => `${w} s`).join(', ');

  const dist = latencyDistribution(report.snapshot?.histograms?.latency_us);
  const p99Limit = report.thresholds?.latencyP99Ms;
  const charts: ChartData[] = [
    {
      id: 'latency',
      title: 'Latency percentiles over time',
      x,
      xKind: 'time',
      yLabel: 'one-way latency (ms)',
      series: [
        { label: 'p50', values: rows.map((r, i) => latency(r.latencyP50Ms, i)), summary: `run ${fmtMs(m.latencyMs.p50)}` },
        { label: 'p99', values: rows.map((r, i) => latency(r.latencyP99Ms, i)), summary: `run ${fmtMs(m.latencyMs.p99)}` },
      ],
      xSummary: span,
      markers,
      thresholds: typeof p99Limit === 'number' ? [{ label: `p99 limit ${fmtMs(p99Limit)}`, value: p99Limit, scale: 'y' }] : [],
    },
    {
      id: 'clients',
      title: 'Clients connected',
      x,
      xKind: 'time',
      yLabel: 'open connections',
      series: [{ label: 'open', values: rows.map((r) => r.open), summary: `peak ${m.clients.peakOpen} of ${m.clients.planned}` }],
      xSummary: span,
      markers,
      thresholds: [],
    },
    {
      id: 'messages',
      title: `Messages per second by channel (rate over whole intervals: ${windowText || '-'})`,
      x,
      xKind: 'time',
      yLabel: 'messages / s (all clients)',
      series: byChannel,
      xSummary: span,
      markers,
      thresholds: [],
    },
    {
      id: 'distribution',
      title: 'Latency distribution',
      x: dist.x,
      xKind: 'nines',
      yLabel: 'one-way latency (ms)',
      series: [{ label: 'latency', values: dist.ms, summary: `p99 ${fmtMs(m.latencyMs.p99)}, max ${fmtMs(m.latencyMs.max)}` }],
      xSummary: 'p50 … max',
      markers: [],
      thresholds: typeof p99Limit === 'number' ? [{ label: `p99 limit ${fmtMs(p99Limit)}`, value: p99Limit, scale: 'y' }] : [],
    },
  ];
  const resources = report.resources?.points;
  if (resources && resources.length > 0) {
    // Epoch ms or s: a value past 1e11 can only be ms (1e11 s is the year 5138).
    const t = (v: number) => (v > 1e11 ? v / 1000 : v);
    const cpu = resources.map((p) => (p.cpuShare === null ? null : p.cpuShare * 100));
    const rss = resources.map((p) => (p.rssBytes === null ? null : p.rssBytes / 1024 / 1024));
    const known = (v: (number | null)[]) => v.filter((n): n is number => n !== null);
    const cpuKnown = known(cpu);
    const rssKnown = known(rss);
    const cpuLimit = report.thresholds?.serverCpuShare;
    charts.push({
      id: 'resources',
      title: 'Target CPU and memory',
      x: resources.map((p) => t(p.t)),
      xKind: 'time',
      yLabel: 'CPU (% of one core)',
      series: [
        { label: 'CPU %', values: cpu, summary: cpuKnown.length ? `mean ${(total(cpuKnown) / cpuKnown.length).toFixed(1)} %, max ${Math.max(...cpuKnown).toFixed(1)} %` : '-' },
        { label: 'RSS MiB', values: rss, summary: rssKnown.length ? `${rssKnown[0].toFixed(1)} → ${rssKnown[rssKnown.length - 1].toFixed(1)} MiB` : '-' },
      ],
      // memory growth is the question: an axis from 0 would flatten it
      y2: { label: 'resident memory (MiB)', series: ['RSS MiB'], fromZero: false },
      xSummary: `${resources.length} sample(s)`,
      markers,
      thresholds: typeof cpuLimit === 'number' ? [{ label: `CPU mean limit ${(cpuLimit * 100).toFixed(0)} %`, value: cpuLimit * 100, scale: 'y' }] : [],
    });
  }
  const cuts = rows.map((r) => r.cuts ?? 0);
  charts.push({
    id: 'reconnects',
    title: 'Disconnects, harness cuts and reconnects',
    x,
    xKind: 'time',
    yLabel: 'events / s',
    series: [
      { label: 'unintended disconnects', values: rows.map((r) => r.disconnects), summary: `${m.disconnects.unintended} in all` },
      { label: 'harness cuts', values: cuts, summary: `${m.reconnect.cuts} in all` },
      { label: 'reconnects', values: rows.map((r) => r.reconnects), summary: `${total(rows.map((r) => r.reconnects))} in all` },
    ],
    bars: true,
    xSummary: span,
    markers,
    thresholds: [],
  });
  return charts;
}
