import type { ComparisonRow } from '../baseline/compare.js';
import { criterionTitle } from '../verdict/criteria.js';
import { escapeMarkdownCell as cell } from './escape.js';
import { churnRows, fmtBytes, fmtCount, fmtMs, niced, threadRows } from './format.js';
import type { RenderableReport } from './view.js';
import { advisoriesMarkdown } from './advisories.js';
import { browserMarkdown } from './browsers.js';

const STATUS: Record<string, string> = { pass: '✅ pass', fail: '❌ fail', skipped: '⏭️ skipped' };
const VERDICT: Record<string, string> = { pass: '✅ PASS', fail: '❌ FAIL', inconclusive: '⚠️ INCONCLUSIVE' };
const ROW_STATUS: Record<string, string> = { ok: 'ok', improved: 'better', regression: '❌ regression', 'n/a': 'n/a' };

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** A baseline metric in its unit, for people. */
export function fmtMetric(v: number | null, unit: string): string {
  if (v === null) return '-';
  switch (unit) {
    case 'ms':
      return fmtMs(v);
    case 'B/s':
      return `${v.toFixed(0)} B/s`;
    case 'share':
      return `${(v * 100).toFixed(2)} %`;
    default:
      return fmtCount(v);
  }
}

/** "+12.0 % (+0.4 ms)", "-", "+3" ... */
export function fmtChange(r: ComparisonRow): string {
  if (r.change === null) return '-';
  const sign = r.change > 0 ? '+' : r.change < 0 ? '-' : '±';
  const abs = Math.abs(r.change);
  const amount = r.unit === 'share' ? `${(abs * 100).toFixed(2)} points` : r.unit === 'count' ? fmtCount(abs) : fmtMetric(abs, r.unit);
  if (r.changeShare === null || r.unit === 'share') return `${sign}${amount}`;
  return `${sign}${(Math.abs(r.changeShare) * 100).toFixed(1)} % (${sign}${amount})`;
}

/** " (3 skipped)" after a verdict with criteria skipped: a pass of 15 is not a pass of 18. */
function skippedNote(report: RenderableReport): string {
  const n = report.criteria.filter((c) => c.status === 'skipped').length;
  return n > 0 ? ` (${n} skipped)` : '';
}

/**
 * summary.md: the verdict and the criteria table, for a pull request, a CI
 * step summary or a ticket. Returns a string.
 */
export function renderMarkdown(report: RenderableReport): string {
  const s = report.settings;
  const m = report.metrics;
  const target = report.target.embedded ? `the embedded simulator${niced(report.target.nice)}` : `\`${report.target.url.replace(/`/g, '')}\``;
  const out: string[] = [
    `## ${VERDICT[report.verdict] ?? cell(report.verdict)}${skippedNote(report)} · livestream-bench${report.interrupted ? ' (interrupted)' : ''}`,
    '',
    cell(report.verdictReason),
    '',
    `${s.clients} client(s) against ${target} (profile ${cell(report.target.profile)}), ramp ${s.rampMs / 1000} s, steady ${(report.steady.ms / 1000).toFixed(0)} s; run ${cell(report.runId)}, ${cell(report.tool.name)} ${cell(report.tool.version)}.`,
    '',
    table(
      ['Criterion', 'Status', 'Observed', 'Threshold'],
      report.criteria.map((c) => [
        `\`${c.id}\` ${cell(c.title ?? criterionTitle(c.id, report.target.profile))}`,
        STATUS[c.status] ?? cell(c.status),
        // Details explain a skip or a failure; on a pass they are noise in a summary.
        cell(c.status === 'skipped' ? c.detail : c.status === 'fail' && c.detail ? `${c.observed} (${c.detail})` : c.observed),
        cell(c.threshold),
      ]),
    ),
  ];
  out.push(...advisoriesMarkdown(report));
  out.push(...browserMarkdown(report));
  if (report.baseline) {
    const b = report.baseline;
    out.push(
      '',
      `### Baseline: ${b.regressions.length === 0 ? 'no regression' : `❌ ${b.regressions.length} regression(s): ${b.regressions.join(', ')}`}`,
      '',
      `Compared with run ${cell(b.baseline.runId)}${b.baseline.source ? ` (${cell(b.baseline.source)})` : ''}.`,
      '',
      table(
        ['Metric', 'Baseline', 'Now', 'Change', 'Tolerance', 'Result'],
        b.rows.map((r) => [`\`${r.metric}\``, fmtMetric(r.baseline, r.unit), fmtMetric(r.current, r.unit), cell(fmtChange(r)), cell(r.tolerance), ROW_STATUS[r.status]]),
      ),
      ...(b.notes.length ? ['', ...b.notes.map((n) => `- ${cell(n)}`)] : []),
    );
  }
  out.push(
    '',
    '<details><summary>Key metrics</summary>',
    '',
    table(
      ['Metric', 'Value'],
      [
        ['connect time', `p50 ${fmtMs(m.connectMs.p50)}, p99 ${fmtMs(m.connectMs.p99)}`],
        ['latency (one-way)', `p50 ${fmtMs(m.latencyMs.p50)}, p99 ${fmtMs(m.latencyMs.p99)}, max ${fmtMs(m.latencyMs.max)}`],
        ['messages', `${fmtCount(m.frames)} frames, ${fmtBytes(m.bytes)}`],
        ['bandwidth per connection', m.bandwidthBps.count ? `mean ${m.bandwidthBps.mean.toFixed(0)} B/s, p99 ${m.bandwidthBps.p99.toFixed(0)} B/s` : '-'],
        ...m.channels.map((c) => [cell(c.channel), `${fmtCount(c.received)} received, ${c.lost} lost, ${c.duplicates} duplicate(s), gap mean ${fmtMs(c.meanGapMs)}`]),
        ['unintended disconnects', String(m.disconnects.unintended)],
        ...churnRows(m).map(([k, v]) => [k, cell(v)]),
        ...threadRows(m).map(([k, v]) => [k, cell(v)]),
      ],
    ),
    '',
    '</details>',
    '',
  );
  return out.join('\n');
}
