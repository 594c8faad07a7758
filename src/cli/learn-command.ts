import { Option, type Command } from 'commander';
import { usageError } from '../errors.js';
import { helpLine, OPTIONS } from '../scenario/options.js';
import { EXIT } from './exit-codes.js';

/**
 * `livestream-bench learn --target <url>`: watches a live stream over a few
 * connections and writes a draft profile (src/learn/). The connection flags
 * are the run's own (--header, --token-env, --insecure, --ca,
 * --connect-timeout), read by the run's parsers, so a header or a token
 * means the same here; --clients and --duration have learn's defaults.
 * Exit 0 written, 1 nothing to learn from (no data, not JSON), 2 bad usage.
 */
interface LearnFlags {
  target?: string;
  clients: string;
  duration: string;
  send: string[];
  out: string;
  format: string;
  asyncapi?: string;
  name?: string;
  [flag: string]: string | string[] | boolean | undefined;
}

const SHARED_FLAGS = ['--header', '--token-env', '--insecure', '--ca', '--connect-timeout', '--max-frame'];

function parseSends(texts: readonly string[]): unknown[] {
  return texts.map((t, i) => {
    try {
      return JSON.parse(t) as unknown;
    } catch (err) {
      throw usageError(`--send #${i + 1} is not JSON (${(err as Error).message}): ${t}`);
    }
  });
}

export async function learnCommand(flags: LearnFlags): Promise<number> {
  if (flags.target === undefined) throw usageError('learn needs --target <url>: the stream to watch');
  if (!['yaml', 'asyncapi'].includes(flags.format)) throw usageError(`--format must be yaml or asyncapi, got "${flags.format}"`);
  const send = parseSends(flags.send);
  const { settingsFromFlags } = await import('../scenario/flags.js');
  const runFlags: Record<string, string | string[] | boolean | undefined> = { target: flags.target, clients: flags.clients, duration: flags.duration };
  for (const f of SHARED_FLAGS) {
    const attr = f.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (flags[attr] !== undefined) runFlags[attr] = flags[attr];
  }
  // the run's parsers: one meaning for a header, a token or a CA everywhere
  const settings = settingsFromFlags(runFlags);
  const [{ learn, LearnFailure }, { streamRecorder }, { connectOptionsFor }, { transportFor }, { writeFileAtomic }, { profileYaml }] = await Promise.all([
    import('../learn/learn.js'),
    import('../learn/stream-recorder.js'),
    import('../engine/slice-runner.js'),
    import('../transport/index.js'),
    import('../learn/write-file.js'),
    import('../learn/profile-yaml.js'),
  ]);
  const hints = flags.asyncapi === undefined ? {} : await (await import('../learn/asyncapi-seed.js')).seedFromAsyncApi(flags.asyncapi);
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  try {
    const learned = await learn({
      url: settings.target!,
      clients: settings.clients,
      durationMs: settings.durationMs,
      send,
      recorder: streamRecorder(transportFor('websocket'), connectOptionsFor(settings)),
      hints: { ...hints, ...(flags.name ? { name: flags.name } : {}) },
      onProgress: (line) => process.stderr.write(`${line}\n`),
      signal: abort.signal,
    });
    const when = new Date().toISOString();
    const header = `Drafted by livestream-bench learn from ${learned.document.path} over ${settings.clients} connection(s), ${when}. Review the guesses below, each with its evidence.`;
    const text = flags.format === 'asyncapi' ? (await import('../learn/asyncapi-write.js')).asyncApiYaml(learned.document, header) : profileYaml(learned, header);
    if (flags.out === '-') process.stdout.write(text);
    else {
      writeFileAtomic(flags.out, text);
      process.stderr.write(`profile: ${flags.out} (${learned.document.channels.length} channel(s): ${learned.document.channels.map((c) => `${c.name} every ${String(c.interval)}`).join(', ')})\n`);
    }
    return abort.signal.aborted ? EXIT.interrupted : EXIT.pass;
  } catch (err) {
    if (err instanceof LearnFailure) {
      process.stderr.write(`livestream-bench: learn: ${err.message}\n`);
      return EXIT.fail;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
  }
}

export function registerLearn(program: Command): void {
  const cmd = program
    .command('learn')
    .description('watch a live stream over a few connections and write a draft profile of it')
    .option('-t, --target <url>', 'ws:// or wss:// URL of the stream to watch')
    .option('-d, --duration <time>', 'how long to watch', '30s')
    .option('-c, --clients <n>', 'connections to watch over (2 or more tell shared fields)', '2')
    .option('--send <json>', 'a message each connection sends after it opens, e.g. a subscribe (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--out <file>', 'where the profile goes (- for stdout)', 'profile.yaml')
    .option('--format <kind>', 'yaml (a profile) or asyncapi (an AsyncAPI 3.0 document with x-livestream-* extensions)', 'yaml')
    .option('--asyncapi <file>', 'start from this AsyncAPI 2.x or 3.0 document: channels, names and payload schemas from it')
    .option('--name <name>', "the profile's name (default: from the target's host and path)");
  for (const flag of SHARED_FLAGS) {
    const o = OPTIONS.find((x) => x.flag === flag)!;
    const opt = new Option(`${o.flag}${o.arg ? ` ${o.arg}` : ''}`, helpLine(o));
    if (o.repeatable) opt.argParser((value: string, previous: string[] = []) => [...previous, value]);
    cmd.addOption(opt);
  }
  cmd.action(async (flags: LearnFlags) => {
    process.exitCode = await learnCommand(flags);
  });
}
