import type { Command } from 'commander';

/** Registers `livestream-bench serve`; owned by the simulator work. */
export function registerServe(program: Command): void {
  program.command('serve').description('run the reference simulator of the stream');
}
