import { readdirSync, readFileSync } from 'node:fs';

/**
 * The process of ours whose command line holds `arg` (a browser's own
 * profile folder: unique to one launch), the root of its tree: the one whose
 * parent does not hold it too. Undefined where there is no /proc.
 */
export function processWithArg(arg: string, procRoot = '/proc'): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync(procRoot).filter((e) => /^\d+$/.test(e));
  } catch {
    return undefined;
  }
  const holders = new Map<number, number>();
  for (const e of entries) {
    try {
      const cmd = readFileSync(`${procRoot}/${e}/cmdline`, 'utf8');
      if (!cmd.includes(arg)) continue;
      const stat = readFileSync(`${procRoot}/${e}/stat`, 'utf8');
      // the parent is the second field after the command's closing parenthesis
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      holders.set(Number(e), ppid);
    } catch {
      // gone meanwhile
    }
  }
  for (const [pid, ppid] of holders) if (!holders.has(ppid)) return pid;
  return undefined;
}
