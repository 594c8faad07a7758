import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { USAGE_CASES } from './cases.js';

/**
 * docs/bad-input.md and the tests agree: every bad-usage case is a row with
 * its exit code, and every row names a test that exists.
 */
const DOC = fileURLToPath(new URL('../../docs/bad-input.md', import.meta.url));
const here = (file: string) => fileURLToPath(new URL(`./${file}`, import.meta.url));
const doc = readFileSync(DOC, 'utf8');

/** Cells of each table row of the document, header and rule lines left out. */
const rows = doc
  .split('\n')
  .filter((l) => l.startsWith('| ') && !/^\| (input|failure) \|/.test(l))
  .map((l) =>
    l
      .slice(2, -2)
      .split(/(?<!\\) \| /)
      .map((c) => c.trim()),
  );

const shown = (args: readonly string[]) => args.map((a) => (a === '' || /\s/.test(a) ? JSON.stringify(a) : a)).join(' ').replace(/\|/g, '\\|');

describe('docs/bad-input.md', () => {
  it('lists every bad-usage case with its exit code', () => {
    const missing = USAGE_CASES.filter((c) => !rows.some((r) => r[0] === `\`livestream-bench ${shown(c.args)}\`` && r.includes(String(c.code ?? 2))));
    expect(missing.map((c) => c.args.join(' '))).toEqual([]);
  });

  it('names, in every row, a test that exists', () => {
    expect(rows.length).toBeGreaterThan(USAGE_CASES.length);
    const wrong: string[] = [];
    for (const r of rows) {
      const m = /^([\w-]+\.test\.ts)(?: \((?:bin|main)\))?(?: › (.+?))?(?: \(`it\.fails`[^)]*\))?$/.exec(r[r.length - 1]);
      if (!m || !existsSync(here(m[1]))) {
        wrong.push(r.join(' | '));
        continue;
      }
      const source = readFileSync(here(m[1]), 'utf8').replace(/\\'/g, "'");
      if (m[2] && !source.includes(m[2])) wrong.push(`${m[1]}: no test titled "${m[2]}"`);
    }
    expect(wrong).toEqual([]);
  });
});
