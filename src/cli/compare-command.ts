import type { Command } from 'commander';
import { EXIT } from './exit-codes.js';
import { readBaselineFile, tolerancesFrom } from './run-outputs.js';

interface CompareFlags {
  tolerance: string[];
  scenario?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * `livestream-bench compare <baseline> <current>`: the baseline table of a
 * run, offline. Either file may be a report.json or a saved baseline.
 * Exit 1 on a regression, 0 otherwise, 2 on bad input.
 */
export async function compareCommand(baselinePath: string, currentPath: string, flags: CompareFlags): Promise<number> {
  const { compareBaseline } = await import('../baseline/compare.js');
  const { readScenario } = await import('../scenario/file.js');
  const { SCENARIO_CHECKS } = await import('../verdict/threshold-text.js');
  const scenario = flags.scenario !== undefined ? await readScenario(flags.scenario, process.env, SCENARIO_CHECKS) : undefined;
  const tolerances = tolerancesFrom(flags.tolerance, scenario);
  const baseline = readBaselineFile(baselinePath, 'compare');
  const current = readBaselineFile(currentPath, 'compare');
  const comparison = compareBaseline(baseline, current, tolerances, baselinePath);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(comparison, null, 2)}\n`);
  } else {
    const { renderComparisonTerminal } = await import('../reporters/compare-terminal.js');
    const color = process.env.NO_COLOR === undefined && Boolean(process.stdout.isTTY);
    process.stdout.write(renderComparisonTerminal(comparison, { color, width: process.stderr.columns ?? process.stdout.columns }));
  }
  return comparison.regressions.length > 0 ? EXIT.fail : EXIT.pass;
}

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('compare a run with a baseline offline; exit 1 on a regression')
    .argument('<baseline>', 'baseline file or report.json of the reference run')
    .argument('<current>', 'report.json (or baseline file) of the run to judge')
    .option('--tolerance <metric=tol>', 'how much worse a metric may get, e.g. latency_p99=20% (repeatable)', collect, [])
    .option('-s, --scenario <file>', "take tolerances from this scenario's baseline.tolerances")
    .option('--json', 'print the comparison as JSON')
    .action(async (baseline: string, current: string, flags: CompareFlags) => {
      process.exitCode = await compareCommand(baseline, current, flags);
    });
}
