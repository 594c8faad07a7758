import { readFileSync, statSync } from 'node:fs';
import { dirname, basename } from 'node:path';
import { compareBaseline, withBaseline } from '../baseline/compare.js';
import { isBenchFile, parseBaseline, renderBaseline, toBaseline, type Baseline } from '../baseline/file.js';
import { parseToleranceFlag, type Tolerances } from '../baseline/tolerance.js';
import { usageError } from '../errors.js';
import { parseFormats, REPORT_FORMATS, renderReportFiles, type ReportFormat } from '../reporters/formats.js';
import { renderMarkdown } from '../reporters/markdown.js';
import type { RenderableReport } from '../reporters/view.js';
import { appendToFile, outputFolderProblem, writeReportFiles } from '../reporters/write.js';
import type { Scenario } from '../scenario/file.js';
import type { Report } from '../verdict/report.js';
import { fileProblem, readInput } from '../read-input.js';

/**
 * What a run does with its report besides printing it: which files it
 * writes, where, the baseline it is compared with and the one it saves.
 * Resolved (the baseline read, the folders tried) before the run starts, so
 * a bad --baseline or an --out that cannot be written costs nothing but
 * exit 2, instead of a run whose report is lost at the end.
 */
export interface RunOutputs {
  formats: ReportFormat[];
  out?: string;
  baseline?: { source: string; data: Baseline };
  saveBaseline?: string;
  tolerances: Tolerances;
}

export interface OutputFlags {
  out?: string;
  format?: string;
  baseline?: string;
  saveBaseline?: string;
  tolerance?: string[];
}

/** @param what the file as the user named it: `--baseline`, `compare` */
export function readBaselineFile(path: string, what = '--baseline'): Baseline {
  return parseBaseline(readInput(path, what), path);
}

/** Scenario tolerances, then --tolerance flags over them; every bad one reported at once. */
export function tolerancesFrom(flags: string[] = [], scenario?: Scenario): Tolerances {
  const out: Tolerances = { ...scenario?.baseline?.tolerances };
  const problems: string[] = [];
  for (const f of flags) {
    const t = parseToleranceFlag(f);
    if (typeof t === 'string') problems.push(t);
    else out[t.metric] = t.tolerance;
  }
  if (problems.length > 0) throw usageError(problems.join('; '));
  return out;
}

/** The folder a run's reports go to when neither --out nor the scenario names one. */
export const DEFAULT_OUT_PARENT = 'reports';

/**
 * Every folder the run will write to that cannot be written, each named as
 * the user gave it; all at once. The default folder, reports/<run-id>/, is
 * named only when the run starts, so its parent stands in for it.
 */
function outputProblems(outputs: RunOutputs, flags: OutputFlags): string[] {
  const where: Array<[string, string]> = [
    outputs.out !== undefined
      ? [`${flags.out !== undefined ? '--out' : "the scenario's out"} ${outputs.out}`, outputs.out]
      : [`the default output folder ${DEFAULT_OUT_PARENT}/ (choose another with --out)`, DEFAULT_OUT_PARENT],
  ];
  const baseline = outputs.saveBaseline;
  const baselineWhat = `${flags.saveBaseline !== undefined ? '--save-baseline' : "the scenario's baseline.save"} ${baseline}`;
  if (baseline !== undefined) where.push([baselineWhat, dirname(baseline)]);
  const problems = where.map(([what, dir]) => folderProblem(what, dir)).filter((p): p is string => p !== undefined);
  if (baseline !== undefined && isFolder(baseline)) problems.push(`${baselineWhat}: is a folder, not a file name`);
  else if (baseline !== undefined) {
    const problem = replaceProblem(baseline);
    if (problem) problems.push(`${baselineWhat}: ${problem}`);
  }
  return problems;
}

/**
 * Why a file the run would save a baseline over must be kept: only a
 * baseline or a report of this tool is replaced (the reference of the last
 * run, typically); anything else was there for another reason.
 */
function replaceProblem(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    // not there (or under a file: said by the folder check) is a new file
    if (['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '')) return undefined;
    return `is there and cannot be read (${fileProblem(err)}), so it is not replaced`;
  }
  if (isBenchFile(text)) return undefined;
  return 'is there and is not a livestream-bench baseline or report, so it is not replaced (remove it, or choose another file)';
}

/** `what: problem` when report files cannot be written to `dir`. */
function folderProblem(what: string, dir: string): string | undefined {
  const problem = outputFolderProblem(dir);
  return problem ? `${what}: ${problem}` : undefined;
}

/** Bad usage (exit 2) when report files cannot be written to `dir`: found before any work, named as the user gave it. */
export function assertOutputFolder(what: string, dir: string): void {
  const problem = folderProblem(what, dir);
  if (problem) throw usageError(problem);
}

export function runOutputs(flags: OutputFlags, scenario?: Scenario): RunOutputs {
  const formats = flags.format !== undefined ? parseFormats(flags.format) : (scenario?.formats ?? [...REPORT_FORMATS]);
  const compare = flags.baseline ?? scenario?.baseline?.compare;
  const outputs: RunOutputs = {
    formats,
    out: flags.out ?? scenario?.out,
    baseline: compare !== undefined ? { source: compare, data: readBaselineFile(compare, flags.baseline !== undefined ? '--baseline' : "the scenario's baseline.compare") } : undefined,
    saveBaseline: flags.saveBaseline ?? scenario?.baseline?.save,
    tolerances: tolerancesFrom(flags.tolerance, scenario),
  };
  // last, once everything else is known good: the check makes folders (and removes them)
  const problems = outputProblems(outputs, flags);
  if (problems.length > 0) throw usageError(problems.join('; '));
  return outputs;
}

/** The report with its baseline comparison (a regression fails it). Pure. */
export function finishReport(report: Report, outputs: RunOutputs): RenderableReport {
  if (!outputs.baseline) return report;
  const comparison = compareBaseline(outputs.baseline.data, toBaseline(report), outputs.tolerances, outputs.baseline.source);
  return withBaseline(report, comparison);
}

/**
 * Writes the chosen report files, appends summary.md to GitHub's step
 * summary when running there, and saves the baseline. Returns the paths written.
 */
export function writeOutputs(report: RenderableReport, dir: string, outputs: RunOutputs, env: NodeJS.ProcessEnv = process.env): string[] {
  const written = writeReportFiles(dir, renderReportFiles(report, outputs.formats));
  const summary = env.GITHUB_STEP_SUMMARY;
  if (summary && outputs.formats.includes('md')) appendToFile(summary, renderMarkdown(report));
  // an interrupted run, or one that never opened a connection, is no reference
  if (outputs.saveBaseline && !report.interrupted && report.metrics.connections > 0) {
    written.push(...writeReportFiles(dirname(outputs.saveBaseline), { [basename(outputs.saveBaseline)]: renderBaseline(toBaseline(report)) }));
  }
  return written;
}

export { overrideStages } from '../scenario/override.js';

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
