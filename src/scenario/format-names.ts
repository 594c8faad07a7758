import { usageError } from '../errors.js';

/**
 * `--format` names and the file each one writes in the output folder. Kept
 * apart from the renderers, so a scenario file can name formats without
 * loading them.
 */
export const REPORT_FORMATS = ['json', 'md', 'junit', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_FILES: Readonly<Record<ReportFormat, string>> = {
  json: 'report.json',
  md: 'summary.md',
  junit: 'junit.xml',
  html: 'report.html',
};

/** Parses `json,md` (or `all`); throws a usage error naming the unknown ones. */
export function parseFormats(text: string, what = '--format'): ReportFormat[] {
  const names = text.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.length === 1 && names[0] === 'all') return [...REPORT_FORMATS];
  const unknown = names.filter((n) => !(REPORT_FORMATS as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    throw usageError(`${what} takes a comma-separated list of ${REPORT_FORMATS.join(', ')} (or all)${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`);
  }
  return REPORT_FORMATS.filter((f) => names.includes(f));
}
