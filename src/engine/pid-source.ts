import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { ResourceReading, ResourceSource } from './resource-sampler.js';

/**
 * A local process read from /proc (Linux): CPU from utime + stime in
 * /proc/<pid>/stat (clock ticks), resident memory from VmRSS in
 * /proc/<pid>/status. The sampler turns the CPU seconds into a share of one
 * core: 0.5 s of CPU over 1 s of wall time is 0.5, and a process busy on two
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
 * fields are counted from the last ')': state is field 3, utime 14, stime 15.
 */
export function parseProcStat(text: string): { utime: number; stime: number } {
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).trim().split(/\s+/);
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (close < 0 || !Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('unreadable /proc stat line');
  return { utime, stime };
}

/** VmRSS in bytes from the text of /proc/<pid>/status; undefined when absent (a zombie). */
export function parseVmRss(text: string): number | undefined {
  const m = /^VmRSS:\s+(\d+)\s*kB/m.exec(text);
  return m ? Number(m[1]) * 1024 : undefined;
}

export function pidSource(pid: number, procRoot = '/proc'): ResourceSource {
  const ticks = clockTicksPerSecond();
  return {
    kind: 'pid',
    origin: `pid ${pid}`,
    notes: [`CPU from ${procRoot}/${pid}/stat utime+stime at ${ticks} ticks/s; memory is VmRSS from ${procRoot}/${pid}/status`],
    async read(): Promise<ResourceReading> {
      let stat: string;
      let status: string;
      // Synchronous on purpose: a /proc read takes microseconds, and the
      // sample's time must be the read's, not whenever a thread-pool read
      // got back to a busy event loop.
      try {
        stat = readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
        status = readFileSync(`${procRoot}/${pid}/status`, 'utf8');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new Error(code === 'ENOENT' ? `process ${pid} is gone` : `cannot read process ${pid}: ${code ?? String(err)}`);
      }
      const { utime, stime } = parseProcStat(stat);
      return { cpuSeconds: (utime + stime) / ticks, memoryBytes: parseVmRss(status) };
    },
  };
}
