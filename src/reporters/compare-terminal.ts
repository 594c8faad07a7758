import { Chalk } from 'chalk';
import Table from 'cli-table3';
import type { BaselineComparison } from '../baseline/compare.js';
import { fmtChange, fmtMetric } from './markdown.js';

/** The baseline table for a terminal: metric, baseline, now, change, tolerance, result. Returns a string. */
export function renderComparisonTerminal(c: BaselineComparison, options: { color: boolean }): string {
  const k = new Chalk({ level: options.color ? 1 : 0 });
  const result = (s: string) => (s === 'regression' ? k.red('REGRESSION') : s === 'improved' ? k.green('better') : s === 'ok' ? 'ok' : k.dim('n/a'));
  const t = new Table({ head: ['metric', 'baseline', 'now', 'change', 'tolerance', 'result'], style: { head: [], border: [] } });
  for (const r of c.rows) t.push([r.metric, fmtMetric(r.baseline, r.unit), fmtMetric(r.current, r.unit), fmtChange(r), r.tolerance, result(r.status)]);
  const head = `baseline: run ${c.baseline.runId}${c.baseline.source ? ` (${c.baseline.source})` : ''}`;
  const verdict = c.regressions.length === 0 ? k.green('no regression') : k.red.bold(`${c.regressions.length} regression(s): ${c.regressions.join(', ')}`);
  return `${head}\n${t.toString()}\n${c.notes.map((n) => k.yellow(`note: ${n}`)).join('\n')}${c.notes.length ? '\n' : ''}${verdict}\n`;
}
