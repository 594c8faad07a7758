import type { Command } from 'commander';
import { EXIT } from './exit-codes.js';
import { readInput } from '../read-input.js';

/**
 * `livestream-bench validate <file>...`: every problem of each scenario
 * file, one per line as `file:line:col: message` on stdout (editors and CI
 * problem matchers read that form); exit 0 when all are valid, 2 otherwise.
 */
export async function validateCommand(files: string[]): Promise<number> {
  const { parseScenario, formatProblems } = await import('../scenario/file.js');
  // the verdict reads the thresholds and reports each bad one at its position
  const { SCENARIO_CHECKS } = await import('../verdict/threshold-text.js');
  let bad = 0;
  let total = 0;
  for (const file of files) {
    const parsed = parseScenario(readInput(file, 'scenario'), file, process.env, SCENARIO_CHECKS);
    if (parsed.problems.length === 0) {
      process.stdout.write(`${file}: ok${parsed.scenario?.description ? ` (${parsed.scenario.description})` : ''}\n`);
      continue;
    }
    bad += 1;
    total += parsed.problems.length;
    process.stdout.write(`${formatProblems(file, parsed.problems).join('\n')}\n`);
  }
  if (bad > 0) process.stderr.write(`livestream-bench: ${total} problem(s) in ${bad} of ${files.length} file(s)\n`);
  return bad > 0 ? EXIT.usage : EXIT.pass;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check scenario files; prints every problem as file:line:col: message (exit 2 if any)')
    .argument('<file...>', 'scenario files (YAML or JSON)')
    .action(async (files: string[]) => {
      process.exitCode = await validateCommand(files);
    });
}
