import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockTicksPerSecond, pidSource, processTree } from '../../src/engine/pid-source.js';

/**
 * A fake /proc: 100 forks 101 and 102 (from two threads), 102 forks 103.
 * The target's resources are those of the whole tree.
 */
let root: string;

function proc(pid: number, utime: number, stime: number, rssKb: number, children: Record<number, number[]> = { [pid]: [] }, start = 1000 + pid): void {
  const dir = join(root, String(pid));
  mkdirSync(dir, { recursive: true });
  // fields after the command: state, then 10 more before utime (field 14) and stime (15)
  writeFileSync(join(dir, 'stat'), `${pid} (node (x)) S ${Array(10).fill(0).join(' ')} ${utime} ${stime} 0 0 20 0 1 0 ${start} 1000 100`);
  writeFileSync(join(dir, 'status'), `Name:\tnode\nVmRSS:\t${rssKb} kB\n`);
  for (const [tid, kids] of Object.entries(children)) {
    mkdirSync(join(dir, 'task', tid), { recursive: true });
    writeFileSync(join(dir, 'task', tid, 'children'), kids.map((k) => `${k} `).join(''));
  }
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lsb-proc-'));
  proc(100, 100, 50, 1000, { 100: [101], 107: [102] });
  proc(101, 200, 100, 2000);
  proc(102, 300, 0, 3000, { 102: [103] });
  proc(103, 10, 10, 500);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the target process tree from /proc', () => {
  it('lists a process and every descendant, from the children of each thread', () => {
    expect(processTree(100, root)).toEqual([100, 101, 102, 103]);
    expect(processTree(102, root)).toEqual([102, 103]);
  });

  it('sums CPU and resident memory over the tree', async () => {
    const r = await pidSource(100, root).read();
    expect(r.cpuSeconds).toBeCloseTo((150 + 300 + 300 + 20) / clockTicksPerSecond(), 9);
    expect(r.memoryBytes).toBe((1000 + 2000 + 3000 + 500) * 1024);
  });

  it('keeps the CPU of a worker that exited, so the total never goes back; its memory is gone', async () => {
    const source = pidSource(100, root);
    const before = await source.read();
    rmSync(join(root, '101'), { recursive: true });
    writeFileSync(join(root, '100', 'task', '100', 'children'), '');
    proc(103, 30, 10, 500); // still running: 20 more ticks
    const after = await source.read();
    expect(after.cpuSeconds).toBeCloseTo(before.cpuSeconds! + 20 / clockTicksPerSecond(), 9);
    expect(after.memoryBytes).toBe((1000 + 3000 + 500) * 1024);
  });

  it('counts a worker missing from one listing once, when it is listed again', async () => {
    const source = pidSource(100, root);
    const first = await source.read();
    writeFileSync(join(root, '100', 'task', '100', 'children'), ''); // 101 not listed this time
    const hidden = await source.read();
    writeFileSync(join(root, '100', 'task', '100', 'children'), '101 ');
    const back = await source.read();
    expect(hidden.cpuSeconds).toBeCloseTo(first.cpuSeconds!, 9);
    expect(back.cpuSeconds).toBeCloseTo(first.cpuSeconds!, 9);
  });

  it('tells a new process on a reused pid apart: a worker\'s CPU is not replaced, a root\'s reuse is a gone target', async () => {
    const source = pidSource(100, root);
    const first = await source.read();
    proc(101, 5, 0, 100, { 101: [] }, 99_999); // 101 exited; a new process got its pid
    const reused = await source.read();
    expect(reused.cpuSeconds).toBeCloseTo(first.cpuSeconds! + 5 / clockTicksPerSecond(), 9);
    proc(100, 1, 0, 100, { 100: [] }, 88_888);
    await expect(source.read()).rejects.toThrow('process 100 is gone');
  });

  it('leaves out the harness itself and what is under it, and never loops', () => {
    proc(103, 10, 10, 500, { 103: [100, 102] }); // a listing that points back up
    expect(processTree(100, root, 101)).toEqual([100, 102, 103]);
  });

  it('fails when the root process is gone', async () => {
    rmSync(join(root, '100'), { recursive: true });
    await expect(pidSource(100, root).read()).rejects.toThrow('process 100 is gone');
  });
});
