import type { BrowserRun } from '../metrics/browser-results.js';
import { browserLabel, browserVerdicts } from '../verdict/criteria/page-figures.js';
import type { Report } from '../verdict/report.js';
import { escapeHtml as h, escapeMarkdownCell as cell } from './escape.js';
import { fmtBytes } from './format.js';

/**
 * The browser table of every report (`--page`): one row per browser with
 * its three verdicts, the page's stream through the checks, the cut's
 * reconnection and the browser's CPU and memory; report.html adds the
 * screenshots at the start and end of the steady phase. Everything the page
 * or browser said is escaped by the caller's format.
 */
const HEAD = ['browser', 'page_load', 'ui_updates', 'page_fallback', 'stream (checked)', 'reconnect after cut', 'CPU mean / peak', 'memory mean / peak'];

function row(b: BrowserRun): string[] {
  const v = browserVerdicts(b);
  const main = b.pages.find((p) => p.role === 'main');
  const cut = main?.cut;
  const checks = b.checks;
  const violations = checks ? Object.entries(checks.violations).map(([k, n]) => `${k} ${n}`).join(', ') : '';
  const f = b.footprint;
  return [
    `${browserLabel(b)}${b.origin ? ` [${b.origin}]` : ''}${b.error ? `: ${b.error}` : ''}`,
    `${v.pageLoad.status}: ${v.pageLoad.observed}`,
    `${v.uiUpdates.status}: ${v.uiUpdates.observed}`,
    `${v.pageFallback.status}: ${v.pageFallback.observed}`,
    checks ? `${checks.frames} frames, ${checks.lost} lost${violations ? `, ${violations}` : ', 0 violations'}` : '-',
    cut ? (cut.reconnectedAt ? `${((cut.reconnectedAt - cut.at) / 1000).toFixed(1)} s` : 'never') : '-',
    f ? `${(f.cpuMeanShare * 100).toFixed(0)} % / ${(f.cpuPeakShare * 100).toFixed(0)} %` : '-',
    f ? `${fmtBytes(f.rssMeanBytes)} / ${fmtBytes(f.rssPeakBytes)}` : '-',
  ];
}

/** Terminal lines: one block per browser. */
export function browserLines(report: Report): string[] {
  if (!report.browsers?.length) return [];
  const out = ['', 'browsers'];
  for (const b of report.browsers) {
    const r = row(b);
    out.push(`  ${r[0]}`, ...HEAD.slice(1).map((k, i) => `    ${k.padEnd(20)} ${r[i + 1]}`));
  }
  return out;
}

export function browserMarkdown(report: Report): string[] {
  if (!report.browsers?.length) return [];
  return ['', '### Browsers', '', `| ${HEAD.join(' | ')} |`, `|${HEAD.map(() => '---').join('|')}|`, ...report.browsers.map((b) => `| ${row(b).map(cell).join(' | ')} |`)];
}

const shot = (alt: string, png?: string) => (png && /^[A-Za-z0-9+/=]+$/.test(png) ? `<figure><img alt="${h(alt)}" src="data:image/png;base64,${png}"><figcaption>${h(alt)}</figcaption></figure>` : '');

export function browserHtml(report: Report): string {
  if (!report.browsers?.length) return '';
  const rows = report.browsers.map((b) => `<tr>${row(b).map((c) => `<td>${h(c)}</td>`).join('')}</tr>`).join('');
  const shots = report.browsers
    .map((b) => {
      const s = b.screenshots;
      if (!s?.start && !s?.end) return '';
      return `<div class="screenshots">${shot(`${browserLabel(b)}, start of the steady phase`, s.start)}${shot(`${browserLabel(b)}, end of the steady phase`, s.end)}</div>`;
    })
    .join('');
  return `<section id="browsers"><h2>Browsers</h2><table class="browsers"><thead><tr>${HEAD.map((x) => `<th>${h(x)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>
<style>.screenshots{display:flex;gap:1rem;flex-wrap:wrap}.screenshots img{max-width:460px;border:1px solid #d1d5db}</style>${shots}</section>`;
}
