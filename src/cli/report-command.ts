import { dirname } from 'node:path';
import type { Command } from 'commander';
import { EXIT } from './exit-codes.js';
import { readInput } from '../read-input.js';

interface ReportFlags {
  format?: string;
  out?: string;
}

/**
 * `livestream-bench report <report.json>`: renders the report files again
 * from a saved report (a newer version's HTML, a lost junit.xml), into the
 * report's own folder unless --out says otherwise.
 */
export async function reportCommand(path: string, flags: ReportFlags): Promise<number> {
  const { parseReport } = await import('../baseline/file.js');
  const { parseFormats, REPORT_FORMATS, renderReportFiles } = await import('../reporters/formats.js');
  const { writeReportFiles } = await import('../reporters/write.js');
  const { assertOutputFolder } = await import('./run-outputs.js');
  const formats = flags.format !== undefined ? parseFormats(flags.format) : [...REPORT_FORMATS];
  const report = parseReport(readInput(path, 'report'), path);
  const dir = flags.out ?? dirname(path);
  assertOutputFolder(flags.out !== undefined ? `--out ${dir}` : `the report's folder ${dir}`, dir);
  const written = writeReportFiles(dir, renderReportFiles(report, formats));
  process.stderr.write(`report: ${written.join(', ')}\n`);
  return EXIT.pass;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('render report files again from a saved report.json')
    .argument('<report>', 'report.json of a run')
    .option('--format <list>', 'json,md,junit,html or all (default all)')
    .option('--out <dir>', "where to write them (default: the report's folder)")
    .action(async (path: string, flags: ReportFlags) => {
      process.exitCode = await reportCommand(path, flags);
    });
}
