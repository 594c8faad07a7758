import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { ResourceReading, ResourceSource } from './resource-sampler.js';

/**
 * A local process, with the processes under it, read from /proc (Linux): CPU
 * from utime + stime in /proc/<pid>/stat (clock ticks), resident memory from
 * VmRSS in /proc/<pid>/status. The sampler turns the CPU seconds into a share of one
 * core (threads from Threads in the same file): 0.5 s of CPU over 1 s of wall time is 0.5, and a process busy on two
 * cores reads 2.
 */

let clockTicks: number | undefined;

/** `getconf CLK_TCK`, read once; 100 (the Linux default) when getconf is missing. */
export function clockTicksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 2000 }).trim());
      clockTicks = Number.isInteger(n) && n > 0 ? n : 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/**
 * utime and stime in ticks from the text of /proc/<pid>/stat. The command
 * name (field 2) is in parentheses and may itself hold spaces or ')', so
 * fields are counted from the last ')': state is field 3, utime 14, stime 15,
 * starttime 22.
 */
export function parseProcStat(text: string): { utime: number; stime: number; startTime: string } {
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).trim().split(/\s+/);
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (close < 0 || !Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('unreadable /proc stat line');
  return { utime, stime, startTime: fields[19] ?? '' };
}

/** VmRSS in bytes from the text of /proc/<pid>/status; undefined when absent (a zombie). */
export function parseVmRss(text: string): number | undefined {
  const m = /^VmRSS:\s+(\d+)\s*kB/m.exec(text);
  return m ? Number(m[1]) * 1024 : undefined;
}

/** The Threads line of /proc/<pid>/status; undefined when absent. */
export function parseThreads(text: string): number | undefined {
  const m = /^Threads:\s+(\d+)/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

/**
 * A process and all its descendants, root first, from the `children` file of
 * each of their threads (a child appears under the thread that forked it).
 * Without that file (a kernel built without it) only the root is seen. The
 * harness's own process is never part of it, nor what is under it: a
 * --server-pid that is an ancestor of the harness (a supervisor, a shell)
 * must not count the harness as the target.
 */
export function processTree(pid: number, procRoot = '/proc', exclude: number = process.pid): number[] {
  const tree: number[] = [];
  const seen = new Set<number>([exclude]);
  const queue = [pid];
  seen.add(pid);
  while (queue.length > 0) {
    const p = queue.shift()!;
    tree.push(p);
    let threads: string[];
    try {
      threads = readdirSync(`${procRoot}/${p}/task`);
    } catch {
      continue; // gone meanwhile
    }
    for (const tid of threads) {
      let text = '';
      try {
        text = readFileSync(`${procRoot}/${p}/task/${tid}/children`, 'utf8');
      } catch {
        // the thread ended, or the file does not exist here
      }
      for (const word of text.split(/\s+/)) {
        const child = Number(word);
        if (!word || seen.has(child)) continue;
        seen.add(child);
        queue.push(child);
      }
    }
  }
  return tree;
}

interface ProcessReading {
  /** Clock ticks since boot at which it started: with the pid, who it is (pids are reused). */
  startTime: string;
  cpuSeconds: number;
  memoryBytes: number | undefined;
  threads: number | undefined;
}

function readProcess(pid: number, procRoot: string, ticks: number): ProcessReading {
  // Synchronous on purpose: a /proc read takes microseconds, and the
  // sample's time must be the read's, not whenever a thread-pool read
  // got back to a busy event loop.
  const stat = readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
  const status = readFileSync(`${procRoot}/${pid}/status`, 'utf8');
  const { utime, stime, startTime } = parseProcStat(stat);
  return { startTime, cpuSeconds: (utime + stime) / ticks, memoryBytes: parseVmRss(status), threads: parseThreads(status) };
}

/**
 * The target's CPU and memory: the process and every process under it, so a
 * server that forks workers (the simulator's `--workers`, a cluster, a
 * wrapper script) is measured whole. CPU is the sum, over every process
 * ever seen (keyed by pid and start time), of the last utime+stime read for
 * it: a worker that exits keeps what it had used, one missing from a
 * listing for a moment is not counted twice, and the total never goes back.
 * Memory is the sum of the VmRSS of those read now (pages they share are
 * counted in each).
 */
export function pidSource(pid: number, procRoot = '/proc'): ResourceSource {
  const ticks = clockTicksPerSecond();
  const cpuByProcess = new Map<string, number>();
  let rootStart: string | undefined;
  return {
    kind: 'pid',
    origin: `pid ${pid}`,
    notes: [
      `CPU from ${procRoot}/<pid>/stat utime+stime at ${ticks} ticks/s; memory is VmRSS and threads are Threads from ${procRoot}/<pid>/status; all summed over pid ${pid} and the processes under it`,
    ],
    async read(): Promise<ResourceReading> {
      let root: ProcessReading;
      try {
        root = readProcess(pid, procRoot, ticks);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === undefined) throw err;
        throw new Error(code === 'ENOENT' ? `process ${pid} is gone` : `cannot read process ${pid}: ${code}`);
      }
      rootStart ??= root.startTime;
      if (root.startTime !== rootStart) throw new Error(`process ${pid} is gone (the pid now belongs to another process)`);
      cpuByProcess.set(`${pid}:${root.startTime}`, root.cpuSeconds);
      let memoryBytes = root.memoryBytes;
      let threads = root.threads;
      for (const child of processTree(pid, procRoot).slice(1)) {
        let r: ProcessReading;
        try {
          r = readProcess(child, procRoot, ticks);
        } catch {
          continue; // exited between the listing and the read: its last reading stands
        }
        cpuByProcess.set(`${child}:${r.startTime}`, r.cpuSeconds);
        if (r.memoryBytes !== undefined) memoryBytes = (memoryBytes ?? 0) + r.memoryBytes;
        if (r.threads !== undefined) threads = (threads ?? 0) + r.threads;
      }
      let cpuSeconds = 0;
      for (const cpu of cpuByProcess.values()) cpuSeconds += cpu;
      return { cpuSeconds, memoryBytes, ...(threads !== undefined ? { threads } : {}) };
    },
  };
}
