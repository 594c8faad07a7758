import type { ErrorObject } from 'ajv';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { didYouMean } from './suggest.js';

/**
 * What scenario and profile files share: YAML (JSON is read as YAML, so
 * positions work the same), and every problem placed at the line and column
 * of the key or value it is about, in file order, as compilers print them:
 *   profiles/broken.yaml:4:3: unknown key "intervall" in channels[0] (did you mean "interval"?)
 */
export interface SourceProblem {
  line: number;
  col: number;
  message: string;
}

export interface SourceDocument {
  doc: Document;
  /** The document as plain data; undefined when the YAML did not parse. */
  data?: unknown;
  problems: SourceProblem[];
  /** Adds a problem at a JSON pointer (at its key when `key` is set). */
  at(pointer: string, message: string, key?: boolean): void;
  /** Adds a problem at a character offset of the text. */
  atOffset(offset: number, message: string): void;
}

const QUOTE_HINT = 'a value that starts with < or > must be quoted in YAML, e.g. uptime: ">= 100%"';

/** Parses YAML or JSON text; YAML mistakes become problems (one per line: the first says it best). */
export function parseSource(text: string): SourceDocument {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems: SourceProblem[] = [];
  const source: SourceDocument = {
    doc,
    problems,
    at(pointer, message, key = false) {
      source.atOffset(offsetOf(doc, pointer, key), message);
    },
    atOffset(offset, message) {
      const p = lines.linePos(offset);
      problems.push({ line: p.line, col: p.col, message });
    },
  };
  if (doc.errors.length > 0) {
    const lineSeen = new Set<number>();
    for (const e of doc.errors) {
      const pos = lines.linePos(e.pos[0]);
      if (lineSeen.has(pos.line)) continue;
      lineSeen.add(pos.line);
      const lineText = text.split('\n')[pos.line - 1] ?? '';
      const hint = /:\s*[<>]/.test(lineText) ? `; ${QUOTE_HINT}` : '';
      const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      problems.push({ line: pos.line, col: pos.col, message: `YAML: ${first}${hint}` });
    }
    return source;
  }
  source.data = doc.toJS();
  return source;
}

/** A JSON pointer as a path of keys and indexes. */
export function segments(pointer: string): string[] {
  return pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** `thresholds.latency`, `stages[1].clients` */
export function displayPath(pointer: string): string {
  return segments(pointer).reduce((a, s) => (/^\d+$/.test(s) ? `${a}[${s}]` : a ? `${a}.${s}` : s), '') || '(top level)';
}

/**
 * Where a pointer points in the document: the value node, or its key when
 * `key` is set (an unknown key is reported at the key). Falls back to the
 * deepest node found, so every problem has a position.
 */
export function offsetOf(doc: Document, pointer: string, key = false): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  const segs = segments(pointer);
  for (let i = 0; i < segs.length; i += 1) {
    const seg = segs[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && String(isScalar(p.key) ? p.key.value : p.key) === seg);
      if (!pair) break;
      const k = pair.key as Node | null;
      if (key && i === segs.length - 1 && k?.range) return k.range[0];
      node = pair.value;
      const v = node as Node | null;
      offset = v?.range?.[0] ?? k?.range?.[0] ?? offset;
    } else if (isSeq(node)) {
      node = node.items[Number(seg)];
      if (!node) break;
      offset = (node as Node).range?.[0] ?? offset;
    } else break;
  }
  return offset;
}

/** The keys a schema allows at a pointer, for did-you-mean. */
export function allowedKeys(schema: unknown, pointer: string): string[] {
  let node = schema as Record<string, unknown> | undefined;
  for (const seg of pointer.split('/').filter(Boolean)) {
    if (!node) return [];
    const props = node.properties as Record<string, unknown> | undefined;
    if (/^\d+$/.test(seg) && node.items) node = node.items as Record<string, unknown>;
    else node = props?.[seg] as Record<string, unknown> | undefined;
  }
  return Object.keys((node?.properties as Record<string, unknown> | undefined) ?? {});
}

const TYPE_WORDS: Record<string, string> = { integer: 'a whole number', number: 'a number', string: 'text', boolean: 'true or false', object: 'a mapping', array: 'a list' };

export interface AjvProblem {
  pointer: string;
  key: boolean;
  message: string;
}

/**
 * An Ajv error in plain words. `unknownKeyNote` adds what an unknown key at
 * a place is not (": not a criterion id").
 */
export function ajvProblem(e: ErrorObject, schema: unknown, unknownKeyNote: (instancePath: string) => string = () => ''): AjvProblem {
  const where = displayPath(e.instancePath);
  const got = e.data === undefined ? '' : ` (got ${JSON.stringify(e.data)})`;
  const described = (e.parentSchema as { description?: string } | undefined)?.description;
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String(e.params.additionalProperty);
      const pointer = `${e.instancePath}/${escapePointer(name)}`;
      const parent = e.instancePath === '' ? '' : ` in ${where}`;
      return { pointer, key: true, message: `unknown key "${name}"${parent}${unknownKeyNote(e.instancePath)}${didYouMean(name, allowedKeys(schema, e.instancePath))}` };
    }
    case 'type': {
      const types = ([] as string[]).concat(e.params.type as string | string[]);
      const words = described ?? types.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
      return { pointer: e.instancePath, key: false, message: `${where} must be ${words}${got}` };
    }
    case 'minimum':
    case 'maximum':
      return { pointer: e.instancePath, key: false, message: `${where} must be ${e.params.comparison} ${e.params.limit}${got}` };
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map(String);
      return { pointer: e.instancePath, key: false, message: `${where} must be one of ${allowed.join(', ')}${got}${typeof e.data === 'string' ? didYouMean(e.data, allowed) : ''}` };
    }
    case 'required':
      return { pointer: e.instancePath, key: false, message: `${where} needs "${e.params.missingProperty}"` };
    case 'minLength':
      return { pointer: e.instancePath, key: false, message: `${where} must not be empty` };
    case 'minItems':
      return { pointer: e.instancePath, key: false, message: `${where} must list at least ${e.params.limit}` };
    case 'pattern':
      return { pointer: e.instancePath, key: false, message: `${where} must be ${described ?? `text matching ${e.params.pattern}`}${got}` };
    case 'uniqueItems':
      return { pointer: e.instancePath, key: false, message: `${where} lists the same item twice (items ${e.params.j} and ${e.params.i}, counted from 0)` };
    default:
      return { pointer: e.instancePath, key: false, message: `${where} ${e.message ?? 'is invalid'}` };
  }
}

/** Problems without repeats, in file order. */
export function sortedProblems(problems: readonly SourceProblem[]): SourceProblem[] {
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const k = `${p.line}:${p.col}:${p.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => a.line - b.line || a.col - b.col);
}

/** One line per problem, `file:line:col: message`. */
export function formatProblems(file: string, problems: readonly SourceProblem[]): string[] {
  return problems.map((p) => `${file}:${p.line}:${p.col}: ${p.message}`);
}
