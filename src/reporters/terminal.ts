import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { Report } from '../verdict/report.js';
import { churnRows, fmtBytes, fmtCount, fmtMs, threadRows } from './format.js';

export interface TerminalOptions {
  /** Colour on or off; off under NO_COLOR or without a terminal. */
  color: boolean;
}

function paint(color: boolean): ChalkInstance {
  return new Chalk({ level: color ? 1 : 0 });
}

/** The end-of-run summary: every criterion, then the key metrics. Returns a string; prints nothing. */
export function renderTerminal(report: Report, options: TerminalOptions): string {
  const c = paint(options.color);
  const status = (s: string) => (s === 'pass' ? c.green('PASS') : s === 'fail' ? c.red('FAIL') : c.yellow('SKIP'));
  const style = { head: [] as string[], border: [] as string[] };
  const criteria = new Table({ head: ['criterion', 'status', 'observed', 'threshold'], style, wordWrap: true, colWidths: [24, 8, 44, 40] });
  for (const r of report.criteria) {
    criteria.push([r.id, status(r.status), r.status === 'skipped' ? c.dim(r.detail) : r.observed, r.threshold]);
  }
  const m = report.metrics;
  const key = new Table({ head: ['metric', 'value'], style });
  key.push(
    ['clients', `${m.clients.connectedFirstTry}/${m.clients.planned} connected, ${m.clients.held} held`],
    ['connect time', `p50 ${fmtMs(m.connectMs.p50)}, p99 ${fmtMs(m.connectMs.p99)}`],
    ['open -> welcome', `p50 ${fmtMs(m.welcomeMs.p50)}, p99 ${fmtMs(m.welcomeMs.p99)}`],
    ['latency (one-way)', `p50 ${fmtMs(m.latencyMs.p50)}, p99 ${fmtMs(m.latencyMs.p99)}, max ${fmtMs(m.latencyMs.max)}`],
    ['messages', `${fmtCount(m.frames)} frames, ${fmtBytes(m.bytes)}`],
    ['bandwidth / connection', m.bandwidthBps.count ? `mean ${m.bandwidthBps.mean.toFixed(0)} B/s, p99 ${m.bandwidthBps.p99.toFixed(0)} B/s` : '-'],
    ...m.channels.map((ch) => [
      `  ${ch.channel}`,
      `${fmtCount(ch.received)} recv, ${ch.lost} lost, gap mean ${fmtMs(ch.meanGapMs)} p99 ${fmtMs(ch.gapMs.p99)}`,
    ]),
    ['unintended disconnects', String(m.disconnects.unintended)],
    ...churnRows(m),
    ...threadRows(m),
    ['harness', `event loop p99 ${fmtMs(report.harness.eventLoopP99Ms)}, CPU ${(report.harness.cpuShare * 100).toFixed(0)} %`],
  );
  const colour = report.verdict === 'pass' ? c.green.bold : report.verdict === 'fail' ? c.red.bold : c.yellow.bold;
  const why = report.criteria
    .filter((r) => r.status === 'fail' && r.detail)
    .map((r) => `${c.red(r.id)}: ${r.detail}`);
  const lines = [
    criteria.toString(),
    ...why,
    key.toString(),
    `${colour(`verdict: ${report.verdict.toUpperCase()}`)}${report.interrupted ? c.yellow(' (interrupted)') : ''} - ${report.verdictReason}`,
  ];
  return `${lines.join('\n')}\n`;
}
