import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { BenchError } from '../errors.js';
import { EXIT } from './exit-codes.js';
import { registerRun } from './run-command.js';
import { registerServe } from './serve.js';
import { registerCompare } from './compare-command.js';
import { registerMerge } from './merge-command.js';
import { registerReport } from './report-command.js';
import { registerValidate } from './validate-command.js';
import { registerLearn } from './learn-command.js';
import { suggest } from '../source/suggest.js';

/**
 * The only place that reads argv and sets the exit code. Commands wire
 * options to the library API and map typed errors to exit codes.
 */

const require = createRequire(import.meta.url);
const pkg = require('../../package.json') as { version: string };

export function buildProgram(): Command {
  const program = new Command('livestream-bench')
    .description('Load-test a live WebSocket push stream and judge it against the Phase 3B criteria')
    .version(pkg.version)
    .showSuggestionAfterError(true)
    .exitOverride();
  registerRun(program);
  registerServe(program);
  registerValidate(program);
  registerReport(program);
  registerCompare(program);
  registerMerge(program);
  registerLearn(program);
  return program;
}

/** Prints one line for an error and returns the exit code it maps to. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // help and version are not errors
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.pass;
    return EXIT.usage; // commander already printed its one line
  }
  if (err instanceof BenchError) {
    process.stderr.write(`livestream-bench: ${err.message}\n`);
    if (err.code === 'LSB_USAGE') return EXIT.usage;
    if (err.code === 'LSB_INTERRUPTED') return EXIT.interrupted;
    return EXIT.inconclusive;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`livestream-bench: internal error: ${message}\n`);
  if (process.env.LSB_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
  return EXIT.inconclusive;
}

/**
 * `run` is the default command, so a mistyped command (`srve`) would reach it
 * as an operand and read "too many arguments for 'run'". Name it instead,
 * with the closest command, as commander does for options.
 */
function rejectUnknownCommand(program: Command, argv: string[]): void {
  // `help srve` would print the general help and exit 0
  const word = argv[2] === 'help' ? argv[3] : argv[2];
  if (word === undefined || word.startsWith('-')) return;
  const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  if (names.includes(word) || word === 'help') return;
  const close = suggest(word, names);
  const hint = close ? `\n(Did you mean ${close}?)` : ` (commands: ${names.join(', ')})`;
  program.error(`error: unknown command '${word}'${hint}`, { code: 'commander.unknownCommand', exitCode: EXIT.usage });
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    rejectUnknownCommand(program, argv);
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.pass;
  } catch (err) {
    return exitCodeFor(err);
  }
}
