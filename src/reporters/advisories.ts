import type { Advisory } from '../verdict/advisories/index.js';
import { escapeHtml, escapeMarkdownCell } from './escape.js';
import type { RenderableReport } from './view.js';

/**
 * The advisories of a report (docs/criteria.md, "Advisories") in each
 * format, in one place: every reporter adds one small section from here.
 * A report.json written before advisories existed has none.
 */
export function advisoriesOf(report: Pick<RenderableReport, 'advisories'>): readonly Advisory[] {
  return report.advisories ?? [];
}

const tag = (a: Advisory) => (a.promoted ? ' (promoted to a failure by failOn)' : '');

/** Plain lines, `advisory unknown_channel: ...`, for the terminal and JUnit's system-out. */
export function advisoryLines(report: Pick<RenderableReport, 'advisories'>): string[] {
  return advisoriesOf(report).map((a) => `advisory ${a.id}${tag(a)}: ${a.detail}`);
}

/** summary.md: a short list under the criteria; nothing when there is none. */
export function advisoriesMarkdown(report: RenderableReport): string[] {
  const list = advisoriesOf(report);
  if (list.length === 0) return [];
  return ['', '### Advisories', '', ...list.map((a) => `- ${a.promoted ? '❌' : '⚠️'} \`${a.id}\`${tag(a)}: ${escapeMarkdownCell(a.detail)}`)];
}

/** JUnit suite properties: `advisory.<id>` = detail. */
export function advisoryProperties(report: RenderableReport): Array<[string, string]> {
  return advisoriesOf(report).map((a) => [`advisory.${a.id}`, `${a.promoted ? 'promoted: ' : ''}${a.detail}`]);
}

/** report.html: a section after the criteria; says so when there is none. */
export function advisoriesHtml(report: RenderableReport): string {
  const list = advisoriesOf(report);
  const body = list.length === 0
    ? '<p>None.</p>'
    : `<ul class="advisories">${list.map((a) => `<li><code>${escapeHtml(a.id)}</code>${escapeHtml(tag(a))}: ${escapeHtml(a.detail)}</li>`).join('')}</ul>`;
  return `<section id="advisories"><h2>Advisories</h2>${body}</section>`;
}
