import { helpLine, OPTIONS, type AnyOption } from './options.js';

/**
 * The option tables of the docs, made from the option table, so they
 * cannot drift from it: the flag list in README.md and the flag and key
 * table in docs/scenarios.md. `npm run docs:options` writes them between
 * their marker comments; test/scenario/options.test.ts fails when the
 * files hold anything else there.
 *   <!-- options:flags:begin -->  ...  <!-- options:flags:end -->
 */

const WIDTH = 96;
const COLUMN = 28;

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** The README's flag list: `  -c, --clients <n>         concurrent clients (default 10)`. */
export function renderFlagList(options: readonly AnyOption[] = OPTIONS): string {
  const out = ['livestream-bench [run] [options]'];
  for (const o of options) {
    if (!o.flag) continue;
    const left = `  ${o.short ? `${o.short}, ` : '    '}${o.flag}${o.arg ? ` ${o.arg}` : ''}`;
    const [first, ...rest] = wrap(helpLine(o), WIDTH - COLUMN);
    out.push(left.length < COLUMN ? `${left.padEnd(COLUMN)}${first}` : `${left}\n${' '.repeat(COLUMN)}${first}`);
    for (const r of rest) out.push(`${' '.repeat(COLUMN)}${r}`);
  }
  return `\`\`\`\n${out.join('\n')}\n\`\`\``;
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** docs/scenarios.md: every flag and scenario key, side by side. */
export function renderKeyTable(options: readonly AnyOption[] = OPTIONS): string {
  const rows = ['| flag | scenario key | default | what |', '|---|---|---|---|'];
  for (const o of options) {
    const flag = o.flag ? `\`${o.short ? `${o.short}, ` : ''}${o.flag}${o.arg ? ` ${o.arg}` : ''}\`` : '(file only)';
    const key = o.key ? `\`${o.key}\`` : '(flag only)';
    const def = o.default === undefined ? '' : o.default.includes(' ') ? o.default : `\`${o.default}\``;
    rows.push(`| ${cell(flag)} | ${cell(key)} | ${cell(def)} | ${cell(o.help)} |`);
  }
  return rows.join('\n');
}

/** `text` with what stands between `<!-- options:<name>:begin -->` and its end marker replaced by `body`. */
export function replaceBetweenMarkers(text: string, name: string, body: string): string {
  const begin = `<!-- options:${name}:begin -->`;
  const end = `<!-- options:${name}:end -->`;
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`no ${begin} ... ${end} markers`);
  return `${text.slice(0, i + begin.length)}\n${body}\n${text.slice(j)}`;
}

/** The generated parts of each docs file, by path from the repository root. */
export const GENERATED_DOCS: Readonly<Record<string, ReadonlyArray<readonly [string, () => string]>>> = {
  'README.md': [['flags', () => renderFlagList()]],
  'docs/scenarios.md': [['keys', () => renderKeyTable()]],
};

/** A docs file's text with every generated part written again. */
export function regenerateDoc(path: string, text: string): string {
  return (GENERATED_DOCS[path] ?? []).reduce((t, [name, render]) => replaceBetweenMarkers(t, name, render()), text);
}
