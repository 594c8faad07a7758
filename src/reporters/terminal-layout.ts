import Table from 'cli-table3';

/**
 * Tables that fit the terminal: no borders, no rule between rows (a row
 * starts where its first column has text), columns sized to the width.
 * Pure: the width comes in, a string goes out.
 */

/** Narrowest terminal laid out for; a narrower one gets the 80-column layout. */
export const MIN_WIDTH = 80;

/** Spaces after every column's text. */
const GAP = 2;

const NO_BORDER = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '',
};

/** A cell: plain text, or text spanning the following columns too and/or painted (after it is broken to fit). */
export type Cell = string | { content: string; colSpan?: number; paint?: (text: string) => string };

/** The width a terminal asked for, made usable: at least MIN_WIDTH, a whole number. */
export function layoutWidth(columns: number | undefined): number {
  return Number.isFinite(columns) && (columns as number) > MIN_WIDTH ? Math.floor(columns as number) : MIN_WIDTH;
}

/** Lines `text` takes wrapped greedily at spaces into `width` columns (a longer word is broken). */
export function linesNeeded(text: string, width: number): number {
  let lines = 0;
  for (const para of text.split('\n')) {
    let used = -1;
    lines += 1;
    for (const word of para.split(' ')) {
      const n = visibleLength(word);
      if (used >= 0 && used + 1 + n <= width) used += 1 + n;
      else {
        if (used >= 0) lines += 1;
        lines += Math.max(0, Math.ceil(n / width) - 1);
        used = n - (Math.ceil(n / width) - 1) * width;
      }
    }
  }
  return lines;
}

function wordsBroken(text: string, width: number): number {
  return text.split(/[ \n]/).filter((w) => visibleLength(w) > width).length;
}

/**
 * Column widths (text plus the 2-space gap after it) for `columns` (each a
 * head and its cells) in `width` terminal columns. The `fixed` columns (a
 * count of leading ones, or their indexes) keep their natural width; the
 * others share the rest. Two flexible columns get the split that needs the
 * fewest lines in all (half a line more for each word broken in two; the
 * more even split on a tie); one gets all of it; more each keep what they
 * need up to an even share and split what is left.
 * The last column's gap is trimmed, so the widths may add up to width + 2.
 *   criteria at 80: id 24, status 8, observed and threshold share 50: [24, 8, 26, 24]
 *   criteria at 120: all fit unwrapped: [24, 8, 47, 42]
 */
export function fitColumns(columns: readonly (readonly string[])[], width: number, fixed: number | readonly number[], floor = 12): number[] {
  const natural = columns.map((texts) => Math.max(1, ...texts.map(visibleLength)) + GAP);
  const kept = new Set(typeof fixed === 'number' ? natural.map((_, i) => i).filter((i) => i < fixed) : fixed);
  const flex = natural.map((_, i) => i).filter((i) => !kept.has(i));
  const used = [...kept].reduce((a, i) => a + natural[i], 0);
  const room = Math.max(0, width + GAP - used);
  const want = flex.reduce((a, i) => a + natural[i], 0);
  if (want <= room) return natural;
  const out = [...natural];
  if (flex.length === 1) out[flex[0]] = room;
  else if (flex.length === 2) {
    const [a, b] = [columns[flex[0]], columns[flex[1]]];
    let best = { lines: Infinity, w: 0 };
    const low = Math.min(floor, room - floor);
    for (let w = low; w <= room - low; w += 1) {
      let lines = 0;
      for (let i = 1; i < Math.max(a.length, b.length); i += 1) {
        const [x, y] = [a[i] ?? '', b[i] ?? ''];
        // a word broken in two reads worse than one more wrapped line of whole words
        lines += Math.max(linesNeeded(x, w - GAP), linesNeeded(y, room - w - GAP)) + 0.5 * (wordsBroken(x, w - GAP) + wordsBroken(y, room - w - GAP));
      }
      const even = Math.abs(w - (room - w));
      if (lines < best.lines || (lines === best.lines && even < Math.abs(best.w - (room - best.w)))) best = { lines, w };
    }
    out[flex[0]] = best.w;
    out[flex[1]] = room - best.w;
  } else {
    // more: each keeps what it needs up to an even share, the rest goes to those that need more
    let left = room;
    let open = flex.filter((i) => natural[i] > 0);
    while (open.length > 0) {
      const share = Math.floor(left / open.length);
      const fits = open.filter((i) => natural[i] <= share);
      if (fits.length === 0) {
        open.forEach((i, j) => (out[i] = j === open.length - 1 ? left - share * (open.length - 1) : share));
        break;
      }
      for (const i of fits) left -= (out[i] = natural[i]);
      open = open.filter((i) => !fits.includes(i));
    }
  }
  return out.map((w) => Math.max(w, 1 + GAP));
}

/**
 * Words longer than `max` broken into lines of `max`: the table's word wrap
 * would cut them short with an ellipsis (a URL, a long id), losing the end.
 */
export function breakLongWords(text: string, max: number): string {
  if (max < 1) return text;
  return text
    .split('\n')
    .map((line) =>
      line
        .split(' ')
        // a word with a colour code in it is left whole: cutting the code would print it
        .map((word) => (word.length <= max || word.includes('\u001b') ? word : (word.match(new RegExp(`.{1,${max}}`, 'gsu')) ?? [word]).join('\n')))
        .join(' '),
    )
    .join('\n');
}

/** Visible length of a string (colour codes left out). */
export function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

export interface FittedTable {
  head: string[];
  rows: Cell[][];
  /** Widths from fitColumns (text plus gap). */
  widths: number[];
  /** Draws the head underlined with this; no rule otherwise. */
  rule?: (line: string) => string;
}

/** The table as lines no longer than the widths add up to, trailing spaces trimmed. */
export function renderFitted(t: FittedTable): string {
  const spanWidth = (from: number, span: number) => t.widths.slice(from, from + span).reduce((a, b) => a + b, 0) - GAP;
  const table = new Table({
    chars: NO_BORDER,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': GAP },
    wordWrap: true,
    colWidths: t.widths,
  });
  for (const row of t.rows) {
    let col = 0;
    table.push(
      row.map((cell) => {
        const c = typeof cell === 'string' ? { content: cell } : cell;
        const span = c.colSpan ?? 1;
        const fitted = breakLongWords(c.content, spanWidth(col, span));
        col += span;
        return { content: c.paint ? c.paint(fitted) : fitted, colSpan: span };
      }),
    );
  }
  const total = t.widths.reduce((a, b) => a + b, 0) - GAP;
  const head = t.head.map((h, i) => h.padEnd(t.widths[i])).join('').trimEnd();
  const rule = t.rule ?? ((s: string) => s);
  const body = table.toString().split('\n').map((l) => l.trimEnd());
  return [head, rule('─'.repeat(total)), ...body].join('\n');
}

/** A line (colour codes kept) wrapped at word boundaries to `width` columns; a word too long for a line is broken. */
export function wrapText(text: string, width: number): string {
  if (visibleLength(text) <= width) return text;
  const table = new Table({ chars: NO_BORDER, style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 }, wordWrap: true, colWidths: [width] });
  table.push([breakLongWords(text, width)]);
  return table.toString().split('\n').map((l) => l.trimEnd()).join('\n');
}
