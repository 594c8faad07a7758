import { marked, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { compareBaseline, withBaseline } from '../../src/baseline/compare.js';
import { toBaseline } from '../../src/baseline/file.js';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import { CRITERION_IDS } from '../../src/verdict/criteria.js';
import { buildReport } from '../../src/verdict/report.js';
import { fixtureReport, fixtureRun, NASTY } from './fixture.js';

function tables(md: string): Tokens.Table[] {
  return marked.lexer(md).filter((t): t is Tokens.Table => t.type === 'table');
}

describe('summary.md', () => {
  it('renders as a table with one row per criterion, in criteria.md order', () => {
    const [criteria] = tables(renderMarkdown(fixtureReport()));
    expect(criteria.header.map((h) => h.text)).toEqual(['Criterion', 'Status', 'Observed', 'Threshold']);
    expect(criteria.rows).toHaveLength(CRITERION_IDS.length);
    const ids = criteria.rows.map((r) => /`([a-z_]+)`/.exec(r[0].text)?.[1]);
    expect(ids).toEqual([...CRITERION_IDS]);
    const html = marked.parse(renderMarkdown(fixtureReport())) as string;
    expect(html.match(/<table>/g)).toHaveLength(2); // criteria + key metrics
  });

  it('says when the embedded simulator ran niced, and carries that in report.json', () => {
    const run = fixtureRun();
    expect(renderMarkdown(buildReport(run))).not.toContain('niced');
    run.target.nice = 5;
    const report = buildReport(run);
    expect(report.target.nice).toBe(5);
    expect(renderMarkdown(report)).toContain('the embedded simulator, niced +5 to leave the harness the cores');
    // a report.json read back may hold anything there: only a number is shown
    const hostile = { ...report, target: { ...report.target, nice: '[x](http://evil.example)' as unknown as number } };
    expect(renderMarkdown(hostile)).not.toContain('evil');
  });

  it('shows the verdict and the status of each criterion', () => {
    const report = fixtureReport({ defects: true });
    const md = renderMarkdown(report);
    expect(md.split('\n')[0]).toContain('FAIL');
    const [criteria] = tables(md);
    for (const c of report.criteria) {
      const row = criteria.rows.find((r) => r[0].text.includes(`\`${c.id}\``))!;
      expect(row[1].text).toContain(c.status);
    }
  });

  it('keeps what the target sent inert: one cell per column, no HTML, no links', () => {
    const report = fixtureReport({ defects: true });
    // put the hostile text where a criterion cell shows it
    report.criteria[2] = { ...report.criteria[2], observed: NASTY, detail: NASTY };
    const md = renderMarkdown(report);
    const [criteria] = tables(md);
    expect(criteria.rows.every((r) => r.length === 4)).toBe(true);
    const html = marked.parse(md) as string;
    expect(html).not.toMatch(/<script|<img|<a\s|<!--/i);
    expect(html).toContain('&lt;/script&gt;');
  });

  it('adds the baseline table when the run was compared', () => {
    const base = fixtureReport();
    const now = fixtureReport({ latencyMs: 80 });
    const report = withBaseline(now, compareBaseline(toBaseline(base), toBaseline(now)));
    const md = renderMarkdown(report);
    expect(md).toContain('### Baseline');
    const baseline = tables(md)[1];
    expect(baseline.header.map((h) => h.text)).toEqual(['Metric', 'Baseline', 'Now', 'Change', 'Tolerance', 'Result']);
    const latency = baseline.rows.find((r) => r[0].text.includes('latency_p99'))!;
    expect(latency[5].text).toContain('regression');
  });
});
