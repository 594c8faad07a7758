import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../../src/baseline/file.js';
import { renderJson } from '../../src/reporters/json.js';
import { renderJunit } from '../../src/reporters/junit.js';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import { renderTerminal } from '../../src/reporters/terminal.js';
import { buildReport, type Report } from '../../src/verdict/report.js';
import { fixtureRun } from '../reporters/fixture.js';

/**
 * A gate that tells the truth: a reader of the verdict line alone, of
 * junit.xml alone or of summary.md alone never takes an interrupted run, or
 * one with criteria skipped, for a full pass.
 */
const XSD = readFileSync(new URL('../fixtures/junit-10.xsd', import.meta.url), 'utf8');
const validate = (xml: string) => validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [{ fileName: 'junit-10.xsd', contents: XSD }] });

function report(over: { interrupted?: boolean; strict?: boolean; defects?: boolean } = {}): Report {
  const run = fixtureRun({ defects: over.defects });
  run.interrupted = over.interrupted ?? false;
  run.settings = { ...run.settings, strict: over.strict };
  return buildReport(run);
}

// wide enough that the verdict line is one line: what it says is under test here, not how it wraps (terminal.test.ts)
const verdictLine = (r: Report) => renderTerminal(r, { color: false, width: 1000 }).trim().split('\n').at(-1)!;
const skippedIds = (r: Report) => r.criteria.filter((c) => c.status === 'skipped').map((c) => c.id);

describe('an interrupted run', () => {
  it('is inconclusive, not a pass, with a reason that says interrupted', () => {
    const clean = report();
    expect(clean.verdict).toBe('pass'); // the same run, not stopped, passes
    const r = report({ interrupted: true });
    expect(r.verdict).toBe('inconclusive');
    expect(r.verdictReason).toMatch(/^interrupted/);
    expect(r.interrupted).toBe(true);
  });

  it('fails when a criterion already failed', () => {
    const r = report({ interrupted: true, defects: true });
    expect(r.verdict).toBe('fail');
    expect(r.verdictReason).toMatch(/^interrupted; failed: /);
  });

  it('says so in the verdict line and summary.md, never PASS', () => {
    const r = report({ interrupted: true });
    expect(verdictLine(r)).toMatch(/^verdict: INCONCLUSIVE \(interrupted\) - interrupted/);
    const md = renderMarkdown(r);
    expect(md).not.toMatch(/PASS/);
    expect(md.split('\n')[0]).toContain('INCONCLUSIVE');
    expect(md).toContain('(interrupted)');
  });

  it('is an <error> in junit.xml, valid against the schema', async () => {
    const xml = renderJunit(report({ interrupted: true }));
    expect(xml).toMatch(/<testcase classname="livestream-bench.verdict" name="verdict" time="0">\s*<error message="interrupted[^"]*" type="interrupted">/);
    expect(xml).toMatch(/<testsuite [^>]*errors="1"/);
    expect(xml).toContain('<property name="verdict" value="inconclusive"/>');
    const result = await validate(xml);
    expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
  });

  it('read back from a report.json written when it still said pass, it is rendered again as no pass', () => {
    const old = { ...report({ interrupted: true }), verdict: 'pass', verdictReason: 'interrupted; every measured criterion passed' };
    const again = parseReport(renderJson(old as Report), 'old/report.json');
    expect(again.verdict).toBe('inconclusive');
    expect(again.verdictReason).toBe('interrupted: the run stopped before its end, so it is no pass; every measured criterion passed');
    expect(renderMarkdown(again)).not.toMatch(/PASS/);
  });

  it('a run not interrupted that passes has no verdict case: one case per criterion', () => {
    expect(renderJunit(report())).not.toContain('livestream-bench.verdict');
  });
});

describe('a pass with criteria skipped', () => {
  it('says in the verdict line how many were skipped, and which', () => {
    const r = report();
    const skipped = skippedIds(r);
    expect(skipped.length).toBeGreaterThan(0);
    const passed = r.criteria.filter((c) => c.status === 'pass').length;
    expect(verdictLine(r)).toBe(`verdict: PASS - ${passed} passed, ${skipped.length} skipped (${skipped.join(', ')}): --strict fails on skipped`);
    expect(renderMarkdown(r).split('\n')[0]).toContain(`PASS (${skipped.length} skipped)`);
  });

  it('fails under strict, naming the skipped criteria, and each is a failure in junit.xml', async () => {
    const r = report({ strict: true });
    const skipped = skippedIds(r);
    expect(r.verdict).toBe('fail');
    expect(r.settings.strict).toBe(true);
    expect(r.verdictReason).toBe(`--strict: ${skipped.length} skipped (${skipped.join(', ')}) fail the gate; ${r.criteria.length - skipped.length} passed`);
    expect(verdictLine(r)).toMatch(/^verdict: FAIL - --strict/);
    const xml = renderJunit(r);
    for (const id of skipped) expect(xml).toMatch(new RegExp(`name="${id}" time="0">\\s*<failure message="${id}: skipped under --strict`));
    expect(xml).toMatch(new RegExp(`<testsuite [^>]*failures="${skipped.length}" errors="0" skipped="0"`));
    expect((await validate(xml)).valid).toBe(true);
  });
});
