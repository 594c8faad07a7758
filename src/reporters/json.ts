import type { Report } from '../verdict/report.js';

/** report.json and `--json`: the whole report, stable key order from the builder. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
