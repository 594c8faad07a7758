import { createHash } from 'node:crypto';
import { browserHtml } from './browsers.js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { criterionTitle } from '../verdict/criteria.js';
import { escapeHtml as h, jsonForScript } from './escape.js';
import { advisoriesHtml } from './advisories.js';
import { churnRows, fmtBytes, fmtCount, fmtMs, niced, threadRows } from './format.js';
import { chartData, type ChartData } from './html-charts.js';
import { CLIENT_SCRIPT, LOCALE_GUARD } from './html-client.js';
import { fmtChange, fmtMetric } from './markdown.js';
import { HTML_STYLE } from './html-style.js';
import type { RenderableReport } from './view.js';

const require = createRequire(import.meta.url);

let uplot: { js: string; css: string } | undefined;

/** uPlot's browser build and stylesheet, read once from the installed package and inlined. */
function uplotAssets(): { js: string; css: string } {
  if (!uplot) {
    const js = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
    const css = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
    // An inline script ends at the first "</script", wherever it stands.
    uplot = { js: js.replace(/<\/(script)/gi, '<\\/$1'), css: css.replace(/<\/(style)/gi, '<\\/$1') };
  }
  return uplot;
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

function table(head: string[], rows: string[][], cls = ''): string {
  const th = head.map((x) => `<th>${h(x)}</th>`).join('');
  // Cells arrive already escaped (some carry markup such as a status badge).
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const badge = (status: string, text = status) => `<span class="status status-${h(status)}">${h(text)}</span>`;

/**
 * A time for people: in the page, the script shows it in the reader's local
 * time with the zone; without the script it reads as UTC, never as raw ISO.
 *   2026-01-15T12:00:00.000Z -> <time datetime="2026-01-15T12:00:00.000Z">2026-01-15 12:00:00 UTC</time>
 */
export function timeHtml(at: string | number): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return h(String(at));
  const iso = d.toISOString();
  return `<time datetime="${h(iso)}">${h(`${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`)}</time>`;
}

/** Failed criteria first (the eye finds them at the top), then the rest in criteria.md order. */
function criteriaTable(r: RenderableReport): string {
  const order = [...r.criteria.filter((c) => c.status === 'fail'), ...r.criteria.filter((c) => c.status !== 'fail')];
  const rows = order.map((c) => `<tr class="row-${h(c.status)}" id="criterion-${h(c.id)}">${[`<code>${h(c.id)}</code><div class="title">${h(c.title ?? criterionTitle(c.id, r.target.profile))}</div>`, badge(c.status), h(c.observed), h(c.threshold), h(c.detail)].map((x) => `<td>${x}</td>`).join('')}</tr>`);
  const failed = order.filter((c) => c.status === 'fail');
  const head = failed.length ? `<p class="failed-list">${failed.length} failed: ${failed.map((c) => `<a href="#criterion-${h(c.id)}"><code>${h(c.id)}</code></a>`).join(', ')}</p>` : '';
  const th = ['criterion', 'status', 'observed', 'threshold', 'detail'].map((x) => `<th>${x}</th>`).join('');
  return `${head}<table class="criteria"><thead><tr>${th}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function baselineSection(r: RenderableReport): string {
  const b = r.baseline;
  if (!b) return '';
  const head = b.regressions.length === 0 ? 'no regression' : `${b.regressions.length} regression(s): ${b.regressions.join(', ')}`;
  return `<section id="baseline"><h2>Baseline ${badge(b.regressions.length ? 'fail' : 'pass', head)}</h2>
<p>Compared with run <code>${h(b.baseline.runId)}</code> of ${h(b.baseline.startedAt)}${b.baseline.source ? ` (${h(b.baseline.source)})` : ''}.</p>
${table(
  ['metric', 'baseline', 'now', 'change', 'tolerance', 'result'],
  b.rows.map((x) => [`<code>${h(x.metric)}</code> ${h(x.label)}`, h(fmtMetric(x.baseline, x.unit)), h(fmtMetric(x.current, x.unit)), h(fmtChange(x)), h(x.tolerance), badge(x.status === 'regression' ? 'fail' : x.status === 'n/a' ? 'skipped' : 'pass', x.status)]),
  'baseline',
)}
${b.notes.length ? `<ul class="notes">${b.notes.map((n) => `<li>${h(n)}</li>`).join('')}</ul>` : ''}
</section>`;
}

function metricsSection(r: RenderableReport): string {
  const m = r.metrics;
  const codes = Object.entries(m.disconnects.byCode).map(([k, v]) => `${k} ×${v}`).join(', ');
  const errors = Object.entries(m.connectErrors).map(([k, v]) => `${k} ×${v}`).join(', ');
  const key = table(['metric', 'value'], [
    ['clients', h(`${m.clients.connectedFirstTry}/${m.clients.planned} connected first try, ${m.clients.held} held, peak ${m.clients.peakOpen} open`)],
    ['connect time', h(`p50 ${fmtMs(m.connectMs.p50)}, p99 ${fmtMs(m.connectMs.p99)}`)],
    ['open → welcome', h(`p50 ${fmtMs(m.welcomeMs.p50)}, p99 ${fmtMs(m.welcomeMs.p99)}`)],
    ['latency (one-way)', h(`p50 ${fmtMs(m.latencyMs.p50)}, p99 ${fmtMs(m.latencyMs.p99)}, max ${fmtMs(m.latencyMs.max)}`)],
    ['messages', h(`${fmtCount(m.frames)} frames, ${fmtBytes(m.bytes)}`)],
    ['bandwidth per connection', h(m.bandwidthBps.count ? `mean ${m.bandwidthBps.mean.toFixed(0)} B/s, p99 ${m.bandwidthBps.p99.toFixed(0)} B/s` : '-')],
    ['unintended disconnects', h(`${m.disconnects.unintended}${codes ? ` (${codes})` : ''}`)],
    ['connect errors', h(errors || 'none')],
    // the reconnect criterion's figure (cut_back of cuts), and apart from it the returns after the target's own drops
    ['harness cuts', h(m.reconnect.cuts ? `${m.reconnect.cuts} cut(s), ${m.reconnect.cutBack}/${m.reconnect.cuts} back` : 'none')],
    ['after unintended drops', h(`${m.reconnect.reconnected} reconnected, ${m.reconnect.gaveUp} gave up`)],
    ...[...churnRows(m), ...threadRows(m)].map(([k, v]) => [k, h(v)]),
    ['harness', h(`event loop p99 ${fmtMs(r.harness.eventLoopP99Ms)}, CPU ${(r.harness.cpuShare * 100).toFixed(0)} %`)],
  ]);
  const channels = table(
    ['channel', 'interval', 'received', 'expected', 'lost', 'duplicates', 'gap mean', 'gap p99', 'streams off cadence'],
    m.channels.map((c) => [`<code>${h(c.channel)}</code>`, h(fmtMs(c.intervalMs)), h(fmtCount(c.received)), h(fmtCount(c.expected)), h(String(c.lost)), h(String(c.duplicates)), h(fmtMs(c.meanGapMs)), h(fmtMs(c.gapMs.p99)), h(`${c.cadenceOff}/${c.streams}`)]),
  );
  return `<section id="metrics"><h2>Key metrics</h2>${key}<h3>Channels</h3>${channels}</section>`;
}

function violationsSection(r: RenderableReport): string {
  const v = r.violations ?? [];
  const counts = Object.entries(r.metrics.violations).map(([k, n]) => `${k} ×${n}`).join(', ');
  if (v.length === 0) return `<section id="violations"><h2>Violations</h2><p>${h(counts || 'None recorded.')}</p></section>`;
  return `<section id="violations"><h2>Violations</h2><p>${h(counts)}. First examples of each kind, as the target sent them:</p>
${table(['time', 'kind', 'client', 'detail'], v.map((s) => [timeHtml(s.at), `<code>${h(s.kind)}</code>`, h(String(s.client)), `<span class="detail">${h(s.detail)}</span>`]), 'violations')}</section>`;
}

function chartsSection(charts: ChartData[]): string {
  const figures = charts.map((c) => `<figure class="chart" id="chart-${h(c.id)}" data-chart="${h(c.id)}" data-points="${c.x.length}" data-series="${c.series.length}">
<figcaption>${h(c.title)}</figcaption><div class="plot"></div></figure>`);
  return `<section id="charts"><h2>Charts</h2><div class="charts">${figures.join('\n')}</div></section>`;
}

/**
 * What a page made from a report adds when it is not a file: the live
 * dashboard (live/) adds its script, which may reach its own server
 * (`connect-src 'self'`) and nothing else, and a line under the verdict.
 */
export interface PageExtras {
  script: string;
  status: string;
}

/** The parts of the page that change as a run goes, by element id, rendered as renderHtml renders them. */
export function pageSections(report: RenderableReport, status?: string): Record<string, string> {
  return {
    verdict: verdictHeader(report, status),
    run: runSection(report),
    criteria: criteriaSection(report),
    advisories: advisoriesHtml(report),
    metrics: metricsSection(report),
    violations: violationsSection(report),
  };
}

function verdictHeader(report: RenderableReport, status?: string): string {
  return `<header class="verdict verdict-${h(report.verdict)}" id="verdict">
<div class="badge">${h(report.verdict.toUpperCase())}</div>
<div><h1>livestream-bench report${report.interrupted ? ' (interrupted)' : ''}</h1><p class="reason">${h(report.verdictReason)}</p>${status === undefined ? '' : `<p class="live-status" id="live-status">${h(status)}</p>`}</div>
</header>`;
}

/** The run's target, settings and times. */
function runSection(report: RenderableReport): string {
  const s = report.settings;
  const target = report.target.embedded ? `embedded simulator (${report.target.url})${niced(report.target.nice)}` : report.target.url;
  // text, escaped below; the times are markup already (timeHtml)
  const meta: [string, string | { html: string }][] = [
    ['target', target],
    ['profile', report.target.profile],
    ['clients', String(s.clients)],
    ['ramp / steady', `${s.rampMs / 1000} s / ${(report.steady.ms / 1000).toFixed(0)} s`],
    ['channels', s.channels.join(', ')],
    ['started', { html: timeHtml(report.startedAt) }],
    ['ended', { html: timeHtml(report.endedAt) }],
    ['run', report.runId],
    ['tool', `${report.tool.name} ${report.tool.version}`],
  ];
  if (s.simulatorFaults.length) meta.push(['simulator faults', s.simulatorFaults.join(', ')]);
  return `<section id="run"><dl class="meta">${meta.map(([k, v]) => `<dt>${h(k)}</dt><dd>${typeof v === 'string' ? h(v) : v.html}</dd>`).join('')}</dl></section>`;
}

function criteriaSection(report: RenderableReport): string {
  return `<section id="criteria"><h2>Phase 3B criteria</h2>${criteriaTable(report)}</section>`;
}

/**
 * report.html: one self-contained page, no network (a CSP forbids it): the
 * verdict, the criteria, the charts (uPlot, inlined) and the details.
 * Every string from the report is escaped; the chart data travels as JSON in
 * a non-executed script block with `<` escaped. Returns a string.
 */
export function renderHtml(report: RenderableReport, extras?: PageExtras): string {
  const assets = uplotAssets();
  const charts = chartData(report);
  // Our own constants and base64 hashes only: no quote or markup to escape.
  const live = extras ? ` ${sha256(extras.script)}` : '';
  const csp = `default-src 'none'; script-src ${sha256(LOCALE_GUARD)} ${sha256(assets.js)} ${sha256(CLIENT_SCRIPT)}${live}; style-src 'unsafe-inline'; img-src data:;${extras ? " connect-src 'self';" : ''} base-uri 'none'; form-action 'none'`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(`${report.verdict.toUpperCase()} · livestream-bench · ${report.runId}`)}</title>
<style>${assets.css}</style>
<style>${HTML_STYLE}</style>
</head>
<body>
${verdictHeader(report, extras?.status)}
<main>
${runSection(report)}
${criteriaSection(report)}
${advisoriesHtml(report)}
${browserHtml(report)}
${baselineSection(report)}
${chartsSection(charts)}
${metricsSection(report)}
${violationsSection(report)}
</main>
<footer>Generated by ${h(report.tool.name)} ${h(report.tool.version)} from report.json (schema ${h(String(report.schemaVersion))}). Works offline; nothing is loaded from the network.</footer>
<script type="application/json" id="lsb-data">${jsonForScript({ charts })}</script>
<script>${LOCALE_GUARD}</script>
<script>${assets.js}</script>
<script>${CLIENT_SCRIPT}</script>
${extras ? `<script>${extras.script}</script>
` : ''}</body>
</html>
`;
}
