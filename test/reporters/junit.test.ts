import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import { describe, expect, it } from 'vitest';
import { compareBaseline, withBaseline } from '../../src/baseline/compare.js';
import { toBaseline } from '../../src/baseline/file.js';
import { JUNIT_CLASSNAME, renderJunit } from '../../src/reporters/junit.js';
import { CRITERION_IDS } from '../../src/verdict/criteria.js';
import { fixtureReport, NASTY } from './fixture.js';

const XSD = readFileSync(new URL('../fixtures/junit-10.xsd', import.meta.url), 'utf8');

async function validate(xml: string) {
  return validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [{ fileName: 'junit-10.xsd', contents: XSD }] });
}

/** Test cases as (classname, name, outcome), read back with a regex over our own fixed layout. */
function cases(xml: string): { classname: string; name: string; outcome: string; message?: string }[] {
  const out = [];
  const re = /<testcase classname="([^"]*)" name="([^"]*)" time="[^"]*"(\/>|>\s*<(skipped|failure) message="([^"]*)")/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) out.push({ classname: m[1], name: m[2], outcome: m[4] ?? 'pass', message: m[5] });
  return out;
}

describe('junit.xml', () => {
  it('is valid against the JUnit (Jenkins junit-10) schema, passing and failing', async () => {
    for (const report of [fixtureReport(), fixtureReport({ defects: true })]) {
      const result = await validate(renderJunit(report));
      expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
      expect(result.valid).toBe(true);
    }
  });

  it('the schema is strict enough to reject a broken file', async () => {
    const broken = renderJunit(fixtureReport()).replace('<testsuite name="Phase 3B"', '<testsuite');
    expect((await validate(broken)).valid).toBe(false);
  });

  it('has one test case per criterion id; skipped as <skipped>, failures with observed vs threshold', () => {
    const report = fixtureReport({ defects: true });
    const xml = renderJunit(report);
    const got = cases(xml);
    expect(got.map((c) => c.name)).toEqual([...CRITERION_IDS]);
    expect(new Set(got.map((c) => c.classname))).toEqual(new Set([JUNIT_CLASSNAME]));
    for (const c of report.criteria) {
      const k = got.find((g) => g.name === c.id)!;
      expect(k.outcome).toBe(c.status === 'fail' ? 'failure' : c.status === 'skipped' ? 'skipped' : 'pass');
    }
    const loss = got.find((g) => g.name === 'data_loss')!;
    expect(loss.message).toContain('observed 3 lost');
    expect(loss.message).toContain('threshold 0 lost');
    const counts = /<testsuite [^>]*tests="(\d+)" failures="(\d+)" errors="0" skipped="(\d+)"/.exec(xml)!;
    expect(counts.slice(1).map(Number)).toEqual([
      report.criteria.length,
      report.criteria.filter((c) => c.status === 'fail').length,
      report.criteria.filter((c) => c.status === 'skipped').length,
    ]);
  });

  it('stays well-formed and valid with hostile text from the target', async () => {
    const report = fixtureReport({ defects: true });
    report.criteria[2] = { ...report.criteria[2], status: 'fail', observed: NASTY, detail: NASTY };
    report.criteria[8] = { ...report.criteria[8], status: 'skipped', detail: NASTY };
    const xml = renderJunit(report);
    expect(xml).not.toContain('<script');
    expect(xml).not.toMatch(/[\u0001\u0007]/);
    const result = await validate(xml);
    expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
  });

  it('adds a failing case per regressed baseline metric', async () => {
    const base = fixtureReport();
    const now = fixtureReport({ latencyMs: 80 });
    const xml = renderJunit(withBaseline(now, compareBaseline(toBaseline(base), toBaseline(now))));
    const regressed = cases(xml).filter((c) => c.classname === 'livestream-bench.baseline' && c.outcome === 'failure').map((c) => c.name);
    expect(regressed).toContain('latency_p99');
    expect((await validate(xml)).valid).toBe(true);
  });
});
