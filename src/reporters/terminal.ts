import { Chalk, type ChalkInstance } from 'chalk';
import type { Report } from '../verdict/report.js';
import { churnRows, fmtBytes, fmtCount, fmtMs, threadRows } from './format.js';
import { fitColumns, layoutWidth, renderFitted, wrapText, type Cell } from './terminal-layout.js';
import { advisoryLines } from './advisories.js';
import { browserLines } from './browsers.js';

export interface TerminalOptions {
  /** Colour on or off; off under NO_COLOR or without a terminal. */
  color: boolean;
  /** Columns of the terminal (the CLI passes the stream's `columns`); 80 when unknown, and never fewer. */
  width?: number;
}

function paint(color: boolean): ChalkInstance {
  return new Chalk({ level: color ? 1 : 0 });
}

/**
 * The criteria, one row each: id, status, observed, threshold. The detail
 * of a failed or skipped criterion is folded under its row, across the
 * columns right of the id.
 */
function criteriaTable(report: Report, c: ChalkInstance, width: number): string {
  const status = (s: string): Cell => (s === 'pass' ? { content: 'PASS', paint: c.green } : s === 'fail' ? { content: 'FAIL', paint: c.red } : { content: 'SKIP', paint: c.yellow });
  const head = ['criterion', 'status', 'observed', 'threshold'];
  const rs = report.criteria;
  const widths = fitColumns([[head[0], ...rs.map((r) => r.id)], [head[1], 'SKIP'], [head[2], ...rs.map((r) => r.observed)], [head[3], ...rs.map((r) => r.threshold)]], width, 2);
  const rows: Cell[][] = [];
  for (const r of rs) {
    rows.push([r.id, status(r.status), r.observed, r.threshold]);
    if (r.status !== 'pass' && r.detail) {
      rows.push(['', { content: `↳ ${r.detail}`, colSpan: 3, paint: r.status === 'fail' ? (s) => c.red(s) : (s) => c.dim(s) }]);
    }
  }
  return renderFitted({ head, rows, widths, rule: (s) => c.dim(s) });
}

function keyTable(report: Report, c: ChalkInstance, width: number): string {
  const m = report.metrics;
  const rows: [string, string][] = [
    ['clients', `${m.clients.connectedFirstTry}/${m.clients.planned} connected, ${m.clients.held} held`],
    ['connect time', `p50 ${fmtMs(m.connectMs.p50)}, p99 ${fmtMs(m.connectMs.p99)}`],
    ['open -> welcome', `p50 ${fmtMs(m.welcomeMs.p50)}, p99 ${fmtMs(m.welcomeMs.p99)}`],
    ['latency (one-way)', `p50 ${fmtMs(m.latencyMs.p50)}, p99 ${fmtMs(m.latencyMs.p99)}, max ${fmtMs(m.latencyMs.max)}`],
    ['messages', `${fmtCount(m.frames)} frames, ${fmtBytes(m.bytes)}`],
    ['bandwidth / connection', m.bandwidthBps.count ? `mean ${m.bandwidthBps.mean.toFixed(0)} B/s, p99 ${m.bandwidthBps.p99.toFixed(0)} B/s` : '-'],
    ...m.channels.map((ch): [string, string] => [
      `  ${ch.channel}`,
      `${fmtCount(ch.received)} recv, ${ch.lost} lost, gap mean ${fmtMs(ch.meanGapMs)} p99 ${fmtMs(ch.gapMs.p99)}`,
    ]),
    ['unintended disconnects', String(m.disconnects.unintended)],
    ...churnRows(m),
    ...threadRows(m),
    ['harness', `event loop p99 ${fmtMs(report.harness.eventLoopP99Ms)}, CPU ${(report.harness.cpuShare * 100).toFixed(0)} %`],
  ];
  const head = ['metric', 'value'];
  const widths = fitColumns([[head[0], ...rows.map((r) => r[0])], [head[1], ...rows.map((r) => r[1])]], width, 1);
  return renderFitted({ head, rows, widths, rule: (s) => c.dim(s) });
}

/**
 * The end-of-run summary: every criterion, then the key metrics, then the
 * verdict, laid out for `width` columns (no line is longer). Returns a
 * string; prints nothing.
 *   80 columns: criterion 24 | status 8 | observed and threshold share 48, wrapping
 */
export function renderTerminal(report: Report, options: TerminalOptions): string {
  const c = paint(options.color);
  const width = layoutWidth(options.width);
  const colour = report.verdict === 'pass' ? c.green.bold : report.verdict === 'fail' ? c.red.bold : c.yellow.bold;
  const lines = [
    criteriaTable(report, c, width),
    ...advisoryLines(report).map((l) => c.yellow(l)),
    ...browserLines(report),
    '',
    keyTable(report, c, width),
    '',
    `${colour(`verdict: ${report.verdict.toUpperCase()}`)}${report.interrupted ? c.yellow(' (interrupted)') : ''} - ${report.verdictReason}`,
  ];
  return `${lines.map((l) => l.split('\n').map((x) => wrapText(x, width)).join('\n')).join('\n')}\n`;
}
