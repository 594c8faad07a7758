import { REPORT_FILES, type ReportFormat } from '../scenario/format-names.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { RenderableReport } from './view.js';

export { parseFormats, REPORT_FILES, REPORT_FORMATS, type ReportFormat } from '../scenario/format-names.js';

const RENDER: Readonly<Record<ReportFormat, (r: RenderableReport) => string>> = {
  json: renderJson,
  md: renderMarkdown,
  junit: renderJunit,
  html: renderHtml,
};

/** File name -> content for the chosen formats, ready for writeReportFiles. */
export function renderReportFiles(report: RenderableReport, formats: readonly ReportFormat[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of formats) files[REPORT_FILES[f]] = RENDER[f](report);
  return files;
}
