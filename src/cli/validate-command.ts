import type { Command } from 'commander';
import { EXIT } from './exit-codes.js';
import { readInput } from '../read-input.js';

/**
 * `livestream-bench validate [--profile <name|file>] [file...]`: every
 * problem of each scenario or profile file, one per line as
 * `file:line:col: message` on stdout (editors and CI problem matchers read
 * that form); exit 0 when all are valid, 2 otherwise. A file with an
 * `envelope:` at its top is a profile, anything else a scenario.
 */
interface FileResult {
  problems: string[];
  note?: string;
}

async function checkFile(file: string, kind: 'profile' | 'scenario' | 'either'): Promise<FileResult> {
  const text = readInput(file, kind === 'profile' ? '--profile' : 'validate');
  const { formatProblems } = await import('../source/yaml-doc.js');
  const { isAsyncApiText } = await import('../profile/index.js');
  if ((kind === 'profile' || kind === 'either') && isAsyncApiText(text)) {
    const { prepareProfile, findProfile } = await import('../profile/index.js');
    try {
      await prepareProfile(file);
    } catch (err) {
      return { problems: (err as Error).message.split('\n').slice(1) };
    }
    const p = findProfile(file)!;
    return { problems: [], note: `AsyncAPI, profile ${p.name}, ${p.channels.length} channel(s)` };
  }
  if (kind === 'profile' || (kind === 'either' && /^envelope\s*:/m.test(text))) {
    const { parseProfile } = await import('../profile/index.js');
    const parsed = parseProfile(text);
    return { problems: formatProblems(file, parsed.problems), note: parsed.profile ? `profile ${parsed.profile.name}, ${parsed.profile.channels.length} channel(s)` : undefined };
  }
  const { parseScenario } = await import('../scenario/file.js');
  // the verdict reads the thresholds and reports each bad one at its position
  const { SCENARIO_CHECKS } = await import('../verdict/threshold-text.js');
  const parsed = parseScenario(text, file, process.env, SCENARIO_CHECKS);
  return { problems: formatProblems(file, parsed.problems), note: parsed.scenario?.description };
}

export async function validateCommand(files: string[], profile?: string): Promise<number> {
  const { isProfileFile } = await import('../profile/index.js');
  const work: [string, 'profile' | 'scenario' | 'either'][] = files.map((f) => [f, 'either']);
  if (profile !== undefined) {
    if (isProfileFile(profile)) work.unshift([profile, 'profile']);
    else {
      const { loadProfile } = await import('../profile/index.js');
      try {
        loadProfile(profile);
      } catch (err) {
        process.stderr.write(`livestream-bench: ${(err as Error).message}\n`);
        return EXIT.usage;
      }
    }
  }
  if (work.length === 0) {
    process.stdout.write(`profile ${profile}: ok (built in)\n`);
    return EXIT.pass;
  }
  let bad = 0;
  let total = 0;
  for (const [file, kind] of work) {
    const result = await checkFile(file, kind);
    if (result.problems.length === 0) {
      process.stdout.write(`${file}: ok${result.note ? ` (${result.note})` : ''}\n`);
      continue;
    }
    bad += 1;
    total += result.problems.length;
    process.stdout.write(`${result.problems.join('\n')}\n`);
  }
  if (bad > 0) process.stderr.write(`livestream-bench: ${total} problem(s) in ${bad} of ${work.length} file(s)\n`);
  return bad > 0 ? EXIT.usage : EXIT.pass;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check scenario and profile files; prints every problem as file:line:col: message (exit 2 if any)')
    .argument('[file...]', 'scenario or profile files (YAML or JSON)')
    .option('--profile <name|file>', 'a profile to check (a file), or a built-in name')
    .action(async (files: string[], flags: { profile?: string }) => {
      if (files.length === 0 && flags.profile === undefined) {
        process.stderr.write('livestream-bench: validate needs a file or --profile <file>\n');
        process.exitCode = EXIT.usage;
        return;
      }
      process.exitCode = await validateCommand(files, flags.profile);
    });
}
