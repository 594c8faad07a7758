import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import { describe, expect, it } from 'vitest';
import { advisoryNotes, compareBaseline } from '../../src/baseline/compare.js';
import { toBaseline } from '../../src/baseline/file.js';
import { renderHtml } from '../../src/reporters/html.js';
import { JUNIT_ADVISORY_CLASSNAME, renderJunit } from '../../src/reporters/junit.js';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import { renderTerminal } from '../../src/reporters/terminal.js';
import type { Advisory } from '../../src/verdict/advisories/index.js';
import { fixtureReport, NASTY } from './fixture.js';

/** The advisories section of each report, and the baseline's view of them. */
const XSD = readFileSync(new URL('../fixtures/junit-10.xsd', import.meta.url), 'utf8');

function withAdvisories(advisories: Advisory[]) {
  return { ...fixtureReport(), advisories };
}
const found: Advisory[] = [
  { id: 'unknown_channel', detail: 'a subscribe to a channel that does not exist was confirmed' },
  { id: 'frame_size', detail: `tps_updates mean 129 B, under half the planned 300 B ${NASTY}`, promoted: true },
];

describe('advisories in the reports', () => {
  it('terminal: one line each, after the criteria', () => {
    const out = renderTerminal(withAdvisories(found), { color: false });
    expect(out).toMatch(/advisory unknown_channel: a subscribe to a channel/);
    expect(out).toMatch(/advisory frame_size \(promoted to a failure by failOn\): tps_updates mean 129 B/);
    expect(out.indexOf('advisory unknown_channel')).toBeGreaterThan(out.indexOf('data_loss'));
  });

  it('markdown: a section with each id, the detail kept inert', () => {
    const md = renderMarkdown(withAdvisories(found));
    expect(md).toMatch(/### Advisories\n\n- ⚠️ `unknown_channel`: a subscribe/);
    expect(md).toMatch(/- ❌ `frame_size` \(promoted to a failure by failOn\)/);
    expect(md).not.toMatch(/<script>/);
    expect(renderMarkdown(withAdvisories([]))).not.toMatch(/Advisories/);
  });

  it('junit: properties and system-out for each, a failing case for a promoted one, and still valid', async () => {
    const xml = renderJunit(withAdvisories(found));
    expect(xml).toMatch(/<property name="advisory.unknown_channel" value="a subscribe to a channel that does not exist was confirmed"\/>/);
    expect(xml).toMatch(/<system-out>verdict: [A-Z]+ - [^<]*\nadvisory unknown_channel: /);
    expect(xml).toContain(`<testcase classname="${JUNIT_ADVISORY_CLASSNAME}" name="frame_size"`);
    expect(xml).not.toContain(`name="unknown_channel" time`);
    const v = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [{ fileName: 'junit-10.xsd', contents: XSD }] });
    expect(v.errors).toEqual([]);
  });

  it('html: a section after the criteria, the detail escaped; "None." without any', () => {
    const html = renderHtml(withAdvisories(found));
    expect(html).toMatch(/<section id="advisories"><h2>Advisories<\/h2><ul class="advisories"><li><code>unknown_channel<\/code>/);
    expect(html.indexOf('id="advisories"')).toBeGreaterThan(html.indexOf('id="criteria"'));
    expect(html).not.toContain('<script>window.pwned');
    expect(renderHtml(withAdvisories([]))).toContain('<section id="advisories"><h2>Advisories</h2><p>None.</p></section>');
  });

  it('a report.json saved before advisories existed still renders', () => {
    const old = { ...fixtureReport() } as Partial<ReturnType<typeof fixtureReport>>;
    delete old.advisories;
    const report = old as ReturnType<typeof fixtureReport>;
    expect(renderMarkdown(report)).not.toMatch(/Advisories/);
    expect(renderJunit(report)).not.toMatch(/advisory\./);
    expect(renderHtml(report)).toContain('<p>None.</p>');
  });
});

describe('advisories and the baseline', () => {
  it('the baseline keeps their ids; a new or gone one is a note, never a regression', () => {
    const before = toBaseline(withAdvisories([found[1]]));
    const now = toBaseline(withAdvisories(found));
    expect(before.advisories).toEqual(['frame_size']);
    const c = compareBaseline(before, now);
    expect(c.notes).toContain('advisory new since the baseline: unknown_channel');
    expect(compareBaseline(now, before).notes).toContain('advisory gone since the baseline: unknown_channel');
    expect(c.regressions).toEqual([]);
    expect(advisoryNotes(undefined, ['frame_size'])).toEqual([]); // a baseline saved before advisories existed
  });
});
