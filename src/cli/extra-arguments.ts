import { OPTIONS } from '../scenario/options.js';

/** A value of each kind of argument, for the message. */
const EXAMPLES: Record<string, string> = { '<time>': '5m', '<n>': '10', '<size>': '1MiB', '<share>': '10%', '<url>': 'ws://host:port/path', '<file>': 'a file name' };

/**
 * The one line for a word `run` was given beyond its options. Most often a
 * value written with a space, unquoted: `--duration 5 minutes` reads as
 * `--duration 5` and a stray "minutes", which commander calls "too many
 * arguments". Undefined when the word follows no option (`run extra`).
 *   --duration 5 minutes -> `--duration takes one value, such as 5m; "minutes" is extra`
 *   --insecure yes       -> `--insecure takes no value; "yes" is extra`
 */
export function extraWordMessage(args: readonly string[], extra: string): string | undefined {
  const byName = (name: string | undefined) => OPTIONS.find((o) => name !== undefined && (o.flag === name || o.short === name));
  // the word itself, not the same text given as a flag's value (`--clients 5 5`)
  const i = args.findIndex((a, k) => a === extra && k > 0 && !byName(args[k - 1])?.arg);
  if (i < 1) return undefined;
  const before = args[i - 1];
  const eq = /^(--[^=]+)=/.exec(before);
  // `--insecure yes`: a switch, then a word
  const beforeDef = eq ? undefined : byName(before);
  if (beforeDef && !beforeDef.arg) return `${before} takes no value; "${extra}" is extra`;
  // `--duration 5 minutes` or `--duration=5 minutes`: a flag, its value, then a word
  const flag = eq ? eq[1] : before.startsWith('-') ? undefined : args[i - 2];
  const def = byName(flag);
  if (!def?.arg) return undefined;
  const example = EXAMPLES[def.arg];
  const repeat = def.repeatable ? ` (give ${flag} again for another)` : '';
  return `${flag} takes one value${example ? `, such as ${example}` : ''}; "${extra}" is extra${repeat}`;
}
