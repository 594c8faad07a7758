import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/reporters/json.js';
import { buildReport } from '../../src/verdict/report.js';
import { fixtureRun } from '../reporters/fixture.js';
import { runCli } from '../helpers/cli.js';

/** A saved report.json of shard `index` of `count`, from the socket-free fixture. */
function shardFile(dir: string, index: number, count: number, laterMs = 0): string {
  const run = fixtureRun();
  run.startedAt += laterMs;
  run.endedAt += laterMs;
  run.steadyStartMs += laterMs;
  run.steadyEndMs += laterMs;
  run.settings = { ...run.settings, shard: { index, count } };
  run.shard = { index, count };
  const path = join(dir, `shard-${index}.json`);
  writeFileSync(path, renderJson(buildReport(run)));
  return path;
}

describe('livestream-bench merge (the real bin)', () => {
  it('exits 3, inconclusive, naming the shards that are missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lsb-merge-'));
    const out = join(dir, 'merged');
    const r = await runCli(['merge', shardFile(dir, 0, 3), shardFile(dir, 2, 3), '--out', out, '--format', 'json']);
    expect(r.code).toBe(3);
    const merged = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(merged.verdict).toBe('inconclusive');
    expect(merged.verdictReason).toContain('2/3 missing');
    expect(r.stdout).toContain('2/3 missing');
  });

  it('exits with the verdict of the whole when every shard is there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lsb-merge-'));
    const r = await runCli(['merge', shardFile(dir, 0, 2), shardFile(dir, 1, 2), '--out', join(dir, 'merged'), '--format', 'json', '--json']);
    const merged = JSON.parse(r.stdout);
    expect(merged.verdict).not.toBe('inconclusive');
    expect(r.code).toBe(merged.verdict === 'pass' ? 0 : 1);
  });

  it('exits 3, inconclusive, for shards run one after the other: they never ran together', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lsb-merge-'));
    const out = join(dir, 'merged');
    const r = await runCli(['merge', shardFile(dir, 0, 2), shardFile(dir, 1, 2, 120_000), '--out', out, '--format', 'json,junit']);
    expect(r.code).toBe(3);
    const merged = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(merged.verdict).toBe('inconclusive');
    expect(merged.verdictReason).toContain('no common steady window');
    expect(r.stdout).toMatch(/verdict: INCONCLUSIVE - the shards never ran together/);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toMatch(/<error message="the shards never ran together/);
    // each shard's window is shown, not only the first's
    expect(r.stderr).toMatch(/shard 1\/2: .*steady /);
    expect(r.stderr).toMatch(/shard 2\/2: .*steady /);
  });
});
