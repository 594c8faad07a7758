import { readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { expect, test } from 'vitest';
import { embeddedTargetPriority, startEmbeddedTarget } from '../../src/engine/embedded-target.js';
import { processTree } from '../../src/engine/pid-source.js';

/** Children of a process, from /proc (Linux). */
function children(pid: number): number[] {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text ? text.split(/\s+/).map(Number) : [];
}

/**
 * The embedded simulator yields the cores to the harness: it runs niced, and
 * the worker processes it forks inherit that, so a run's own target cannot
 * starve the process that timestamps its messages.
 */
test('the embedded simulator and its workers run at lower priority than the harness', async () => {
  const target = await startEmbeddedTarget({ workers: 2, yieldToHarness: true });
  try {
    const niced = embeddedTargetPriority();
    expect(niced).toBeGreaterThan(getPriority());
    expect(getPriority(target.pid)).toBe(niced);
    const workers = children(target.pid);
    expect(workers).toHaveLength(2);
    for (const pid of workers) expect(getPriority(pid)).toBe(niced);
    // what the run samples for the target's CPU and memory: the primary and its workers
    expect(processTree(target.pid).sort()).toEqual([target.pid, ...workers].sort());
  } finally {
    await target.stop();
  }
});

test('asked not to yield (a capacity run), the embedded simulator keeps the harness\'s priority', async () => {
  const target = await startEmbeddedTarget({});
  try {
    expect(getPriority(target.pid)).toBe(getPriority());
  } finally {
    await target.stop();
  }
});
