import { join } from 'node:path';
import type { Command } from 'commander';
import { exitForVerdict } from './exit-codes.js';
import { readInput } from '../read-input.js';

interface MergeFlags {
  out?: string;
  format?: string;
  json?: boolean;
}

/**
 * `livestream-bench merge <report.json>...`: the shards of one run, run on n
 * machines with `--shard i/n`, merged exactly (histograms, not averages of
 * percentiles) and judged again as one run.
 */
export async function mergeCommand(paths: string[], flags: MergeFlags): Promise<number> {
  const { parseReport } = await import('../baseline/file.js');
  const { mergeReports } = await import('../verdict/merge.js');
  const { parseFormats, REPORT_FORMATS, renderReportFiles } = await import('../reporters/formats.js');
  const { writeReportFiles } = await import('../reporters/write.js');
  const { renderTerminal } = await import('../reporters/terminal.js');
  const { renderJson } = await import('../reporters/json.js');
  const { assertOutputFolder } = await import('./run-outputs.js');
  const formats = flags.format !== undefined ? parseFormats(flags.format) : [...REPORT_FORMATS];
  // before the reports are read and merged; the default folder is named after the merged run, so its parent stands in
  if (flags.out !== undefined) assertOutputFolder(`--out ${flags.out}`, flags.out);
  else assertOutputFolder('the default output folder reports/ (choose another with --out)', 'reports');
  const reports = paths.map((path) => {
    return parseReport(readInput(path, 'merge'), path);
  });
  const merged = mergeReports(reports);
  const dir = flags.out ?? join('reports', `${merged.runId}-merged`);
  const written = writeReportFiles(dir, renderReportFiles(merged, formats));
  const human = flags.json ? process.stderr : process.stdout;
  human.write(renderTerminal(merged, { color: Boolean(human.isTTY) && !process.env.NO_COLOR, width: process.stderr.columns ?? process.stdout.columns }));
  // what was merged, shard by shard: a merge of runs that never met shows it here too
  for (const r of reports) process.stderr.write(`shard ${(r.settings.shard?.index ?? 0) + 1}/${r.settings.shard?.count ?? 1}: ${r.target.embedded ? 'embedded simulator at ' : ''}${r.target.url}, steady ${r.steady.start} to ${r.steady.end}, ${r.metrics.clients.planned} client(s)\n`);
  process.stderr.write(`merged ${reports.length} report(s): ${written.join(', ')}\n`);
  if (flags.json) process.stdout.write(renderJson(merged));
  return exitForVerdict(merged.verdict);
}

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('merge the report.json of each shard (--shard i/n) into the report of the whole run')
    .argument('<reports...>', 'report.json of each shard')
    .option('--out <dir>', 'where the merged reports go (default reports/<run-id>-merged/)')
    .option('--format <list>', 'json,md,junit,html or all (default all)')
    .option('--json', 'print the merged JSON report on stdout, and nothing else there')
    .action(async (paths: string[], flags: MergeFlags) => {
      process.exitCode = await mergeCommand(paths, flags);
    });
}
