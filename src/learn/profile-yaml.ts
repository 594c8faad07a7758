import { Document, isMap, isScalar, isSeq, type Pair } from 'yaml';
import type { LearnedProfile } from './infer.js';

/**
 * The learned profile as YAML a person reviews: what could not be told at
 * the top, each guess's evidence in a comment on the line before its key
 * (the yaml package's Document API keeps comments as part of the tree, so
 * nothing is spliced into text), short lists in flow style.
 */

const WIDTH = 100;

function wrap(text: string): string {
  const words = text.split(' ');
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + w.length + 1 > WIDTH) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  // the yaml package writes each line of a comment after "#"
  return lines.map((l) => ` ${l}`).join('\n');
}

/** The pair at `path` in the document, to hang a comment on its key. */
function pairAt(doc: Document, path: readonly (string | number)[]): Pair | undefined {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (isMap(parent)) return parent.items.find((p) => isScalar(p.key) && p.key.value === last) as Pair | undefined;
  return undefined;
}

function flowShortLists(node: unknown): void {
  if (isSeq(node)) {
    if (node.items.every((i) => isScalar(i))) node.flow = true;
    else node.items.forEach(flowShortLists);
  } else if (isMap(node)) {
    const scalars = node.items.every((p) => isScalar(p.value) && !(isScalar(p.key) && p.key.commentBefore));
    // small mappings of scalars (a control template, a reply) read best on one line
    if (scalars && node.items.length <= 4 && node.items.every((p) => isScalar(p.key) && String((p.key as { value: unknown }).value) !== 'properties')) node.flow = node.items.length > 0;
    for (const p of node.items) flowShortLists(p.value);
  }
}

export function profileYaml(learned: LearnedProfile, header: string): string {
  const doc = new Document(learned.document);
  const byPath = new Map<string, string[]>();
  for (const n of learned.notes) {
    const key = JSON.stringify(n.path);
    byPath.set(key, [...(byPath.get(key) ?? []), n.text]);
  }
  for (const [key, texts] of byPath) {
    const pair = pairAt(doc, JSON.parse(key) as (string | number)[]);
    if (!pair || !isScalar(pair.key)) continue;
    pair.key.commentBefore = texts.map(wrap).join('\n');
  }
  // after the comments: a mapping with a comment inside stays in block style
  flowShortLists(doc.contents);
  const top = [header, ...(learned.unknowns.length ? ['', 'Could not tell:', ...learned.unknowns.map((u) => `- ${u}`)] : [])];
  doc.commentBefore = top.map((l) => (l ? wrap(l) : '')).join('\n');
  return doc.toString({ lineWidth: 0 });
}
