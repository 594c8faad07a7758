import { Chalk } from 'chalk';
import type { BaselineComparison } from '../baseline/compare.js';
import { fmtChange, fmtMetric } from './markdown.js';
import { fitColumns, layoutWidth, renderFitted, wrapText, type Cell } from './terminal-layout.js';

/**
 * The baseline table for a terminal: metric, baseline, now, change,
 * tolerance, result, laid out for `width` columns (80 when unknown, never
 * fewer) like the criteria table. Returns a string.
 */
export function renderComparisonTerminal(c: BaselineComparison, options: { color: boolean; width?: number }): string {
  const k = new Chalk({ level: options.color ? 1 : 0 });
  const width = layoutWidth(options.width);
  const result = (s: string): Cell =>
    s === 'regression' ? { content: 'REGRESSION', paint: k.red } : s === 'improved' ? { content: 'better', paint: k.green } : s === 'ok' ? 'ok' : { content: 'n/a', paint: k.dim };
  const head = ['metric', 'baseline', 'now', 'change', 'tolerance', 'result'];
  const texts = c.rows.map((r) => [r.metric, fmtMetric(r.baseline, r.unit), fmtMetric(r.current, r.unit), fmtChange(r), r.tolerance]);
  const widths = fitColumns(
    [...head.slice(0, 5).map((h, i) => [h, ...texts.map((t) => t[i])]), [head[5], 'REGRESSION']],
    width,
    // the metric and the result stay whole: they are what a reader looks for
    [0, 5],
  );
  const rows: Cell[][] = c.rows.map((r, i) => [...texts[i], result(r.status)]);
  const table = renderFitted({ head, rows, widths, rule: (s) => k.dim(s) });
  const title = `baseline: run ${c.baseline.runId}${c.baseline.source ? ` (${c.baseline.source})` : ''}`;
  const verdict = c.regressions.length === 0 ? k.green('no regression') : k.red.bold(`${c.regressions.length} regression(s): ${c.regressions.join(', ')}`);
  const lines = [title, table, ...c.notes.map((n) => k.yellow(`note: ${n}`)), verdict];
  return `${lines.map((l) => l.split('\n').map((x) => wrapText(x, width)).join('\n')).join('\n')}\n`;
}
