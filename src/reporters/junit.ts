import { criterionTitle } from '../verdict/criteria.js';
import { escapeXml } from './escape.js';
import { fmtChange, fmtMetric } from './markdown.js';
import type { RenderableReport } from './view.js';

/** JUnit classname of every criterion test case; CI groups by it. */
export const JUNIT_CLASSNAME = 'livestream-bench';
export const JUNIT_BASELINE_CLASSNAME = 'livestream-bench.baseline';
/** The case of the run's verdict, present when the criteria cases alone would not show that it is no pass. */
export const JUNIT_VERDICT_CLASSNAME = 'livestream-bench.verdict';

const attr = (v: string | number) => `"${escapeXml(String(v), true)}"`;

interface Case {
  classname: string;
  name: string;
  outcome: { kind: 'pass' } | { kind: 'skipped'; message: string } | { kind: 'failure' | 'error'; message: string; type: string; body: string };
}

function caseXml(c: Case, seconds: string): string {
  const open = `    <testcase classname=${attr(c.classname)} name=${attr(c.name)} time=${attr(seconds)}`;
  const o = c.outcome;
  if (o.kind === 'pass') return `${open}/>`;
  if (o.kind === 'skipped') return `${open}>\n      <skipped message=${attr(o.message)}/>\n    </testcase>`;
  return `${open}>\n      <${o.kind} message=${attr(o.message)} type=${attr(o.type)}>${escapeXml(o.body)}</${o.kind}>\n    </testcase>`;
}

/**
 * A case for the verdict itself when it is no pass and no case says so: an
 * interrupted or inconclusive run is an <error> (its criteria may all have
 * passed on what was measured); a failed verdict without a failed case (a
 * baseline-free fail) is a <failure>. A CI reader of junit.xml alone never
 * sees such a run as green.
 */
function verdictCase(report: RenderableReport, anyFailure: boolean): Case | undefined {
  const body = `verdict: ${report.verdict.toUpperCase()}${report.interrupted ? ' (interrupted)' : ''} - ${report.verdictReason}`;
  if (report.interrupted || report.verdict === 'inconclusive') {
    return { classname: JUNIT_VERDICT_CLASSNAME, name: 'verdict', outcome: { kind: 'error', type: report.interrupted ? 'interrupted' : 'inconclusive', message: report.verdictReason, body } };
  }
  if (report.verdict === 'fail' && !anyFailure) return { classname: JUNIT_VERDICT_CLASSNAME, name: 'verdict', outcome: { kind: 'failure', type: 'verdict', message: report.verdictReason, body } };
  return undefined;
}

/**
 * junit.xml: one test case per criterion id (name = the id, which is API),
 * skipped ones as <skipped>, failures with observed vs threshold; plus one
 * case per baseline metric when the run was compared. The layout follows
 * the Jenkins junit-10 schema, which GitLab and GitHub reporters also read.
 */
export function renderJunit(report: RenderableReport): string {
  const cases: Case[] = report.criteria.map((c) => ({
    classname: JUNIT_CLASSNAME,
    name: c.id,
    outcome:
      c.status === 'pass'
        ? { kind: 'pass' }
        : c.status === 'skipped' && !report.settings.strict
          ? { kind: 'skipped', message: c.detail || 'skipped' }
          : c.status === 'skipped'
            ? { kind: 'failure', type: 'skipped-strict', message: `${c.id}: skipped under --strict: ${c.detail || 'not measured'}`, body: [c.title ?? criterionTitle(c.id, report.target.profile), `skipped:   ${c.detail || 'not measured'}`, 'a skipped criterion fails the gate under --strict'].join('\n') }
          : {
              kind: 'failure',
              type: 'threshold',
              message: `${c.id}: observed ${c.observed}; threshold ${c.threshold}`,
              body: [c.title ?? criterionTitle(c.id, report.target.profile), `observed:  ${c.observed}`, `threshold: ${c.threshold}`, ...(c.detail ? [`detail:    ${c.detail}`] : [])].join('\n'),
            },
  }));
  for (const r of report.baseline?.rows ?? []) {
    cases.push({
      classname: JUNIT_BASELINE_CLASSNAME,
      name: r.metric,
      outcome:
        r.status === 'regression'
          ? {
              kind: 'failure',
              type: 'baseline-regression',
              message: `${r.metric}: ${fmtMetric(r.current, r.unit)} now vs ${fmtMetric(r.baseline, r.unit)} in the baseline (${fmtChange(r)}); tolerance ${r.tolerance}`,
              body: [`${r.label}`, `baseline:  ${fmtMetric(r.baseline, r.unit)} (run ${report.baseline!.baseline.runId})`, `now:       ${fmtMetric(r.current, r.unit)}`, `change:    ${fmtChange(r)}`, `tolerance: ${r.tolerance}`].join('\n'),
            }
          : r.status === 'n/a'
            ? { kind: 'skipped', message: 'not measured in both runs' }
            : { kind: 'pass' },
    });
  }
  const verdict = verdictCase(report, cases.some((c) => c.outcome.kind === 'failure'));
  if (verdict) cases.push(verdict);
  const failures = cases.filter((c) => c.outcome.kind === 'failure').length;
  const errors = cases.filter((c) => c.outcome.kind === 'error').length;
  const skipped = cases.filter((c) => c.outcome.kind === 'skipped').length;
  const seconds = Math.max(0, (Date.parse(report.endedAt) - Date.parse(report.startedAt)) / 1000);
  const total = Number.isFinite(seconds) ? seconds.toFixed(3) : '0';
  const timestamp = report.startedAt.replace(/\.\d+Z$|Z$/, ''); // xs:dateTime without zone, as Jenkins writes it
  const properties = [
    ['verdict', report.verdict],
    ['verdictReason', report.verdictReason],
    ['runId', report.runId],
    ['target', report.target.embedded ? 'embedded simulator' : report.target.url],
    ['profile', report.target.profile],
    ['clients', String(report.settings.clients)],
    ['tool', `${report.tool.name} ${report.tool.version}`],
  ];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name=${attr(JUNIT_CLASSNAME)} tests=${attr(cases.length)} failures=${attr(failures)} errors=${attr(errors)} time=${attr(total)}>`,
    `  <testsuite name=${attr('Phase 3B')} tests=${attr(cases.length)} failures=${attr(failures)} errors=${attr(errors)} skipped=${attr(skipped)} time=${attr(total)} timestamp=${attr(timestamp)} id="0" package=${attr(JUNIT_CLASSNAME)}>`,
    '    <properties>',
    ...properties.map(([k, v]) => `      <property name=${attr(k)} value=${attr(v)}/>`),
    '    </properties>',
    ...cases.map((c) => caseXml(c, '0')),
    `    <system-out>${escapeXml(`verdict: ${report.verdict.toUpperCase()} - ${report.verdictReason}`)}</system-out>`,
    '  </testsuite>',
    '</testsuites>',
    '',
  ];
  return lines.join('\n');
}
