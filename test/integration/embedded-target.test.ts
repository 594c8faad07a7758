import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { EMBEDDED_TARGET_NICE, simulatorYields, startEmbeddedTarget } from '../../src/engine/embedded-target.js';
import { processTree } from '../../src/engine/pid-source.js';

/** The nice value of every thread of a process (field 19 of each task's stat): it is per thread on Linux. */
function threadNices(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describe('the embedded simulator', () => {
  it('yields the cores to the harness only when every client is checked in full', () => {
    expect(simulatorYields()).toBe(true);
    expect(simulatorYields(1)).toBe(true);
    expect(simulatorYields(0.05)).toBe(false);
  });

  // at nice 15 or more the gap is capped by 19 and cannot be the whole step
  it.skipIf(getPriority() > 19 - EMBEDDED_TARGET_NICE)('runs niced, every thread of it and of the workers it forks, and says so', async () => {
    const target = await startEmbeddedTarget({ workers: 2, yieldToHarness: true });
    try {
      expect(target.nice).toBe(EMBEDDED_TARGET_NICE);
      // what the run samples for the target's CPU and memory: the primary and its workers
      const tree = processTree(target.pid);
      expect(tree).toHaveLength(3);
      for (const pid of tree) {
        const nices = threadNices(pid);
        expect(nices.length).toBeGreaterThan(1);
        expect(new Set(nices)).toEqual(new Set([getPriority() + EMBEDDED_TARGET_NICE]));
      }
    } finally {
      await target.stop();
    }
  });

  it("asked not to yield (a capacity run), keeps the harness's priority", async () => {
    const target = await startEmbeddedTarget({});
    try {
      expect(target.nice).toBe(0);
      expect(new Set(threadNices(target.pid))).toEqual(new Set([getPriority()]));
    } finally {
      await target.stop();
    }
  });
});
