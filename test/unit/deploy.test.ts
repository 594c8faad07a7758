import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildProgram } from '../../src/cli/main.js';

const read = (f: string) => parse(readFileSync(new URL(`../../deploy/kubernetes/${f}`, import.meta.url), 'utf8'));

describe('deploy/kubernetes', () => {
  it('runs the shards as an Indexed Job, one pod per shard, each with its own slice', () => {
    const job = read('shards-job.yaml');
    expect(job.kind).toBe('Job');
    expect(job.spec.completionMode).toBe('Indexed');
    expect(job.spec.parallelism).toBe(job.spec.completions);
    const c = job.spec.template.spec.containers[0];
    const shards = c.env.find((e: { name: string }) => e.name === 'SHARDS').value;
    expect(Number(shards)).toBe(job.spec.completions);
    const script = c.args.join(' ');
    expect(script).toContain('--shard "$((JOB_COMPLETION_INDEX + 1))/$SHARDS"');
    expect(script).toContain('/reports/shard-$JOB_COMPLETION_INDEX');
  });

  it('merges every shard report with the merge command', () => {
    const job = read('merge-job.yaml');
    expect(job.spec.template.spec.containers[0].args.join(' ')).toContain('merge /reports/shard-*/report.json');
    // the commands and flags the manifests use exist
    const program = buildProgram();
    const names = program.commands.map((c) => c.name());
    expect(names).toEqual(expect.arrayContaining(['run', 'merge']));
    const run = program.commands.find((c) => c.name() === 'run')!;
    const flags = run.options.map((o) => o.long);
    for (const f of ['--scenario', '--target', '--clients', '--shard', '--token-env', '--out', '--format']) expect(flags).toContain(f);
  });
});
