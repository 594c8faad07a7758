import { Ajv, type ErrorObject } from 'ajv';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { usageError } from '../errors.js';
import { allowedKeys, SCENARIO_SCHEMA } from './schema.js';
import { checkScenario, type Scenario } from './semantics.js';
import { didYouMean } from '../source/suggest.js';
import { readInput } from '../read-input.js';

export type { Scenario } from './semantics.js';

/**
 * Scenario files: YAML or JSON (JSON is read as YAML, so positions work the
 * same). Validation collects *every* problem, each with the line and column
 * of the key or value it is about, in file order:
 *   scenarios/broken.yaml:4:3: unknown key "latnecy" in thresholds (did you mean "latency"?)
 */
export interface ScenarioProblem {
  line: number;
  col: number;
  message: string;
}

export interface ParsedScenario {
  scenario?: Scenario;
  problems: ScenarioProblem[];
}

type Env = Readonly<Record<string, string | undefined>>;

const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, verbose: true, strict: false });
const validate = ajv.compile(SCENARIO_SCHEMA);

/** A JSON pointer as a path of keys and indexes. */
function segments(pointer: string): string[] {
  return pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
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
function offsetOf(doc: Document, pointer: string, key = false): number {
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

const TYPE_WORDS: Record<string, string> = { integer: 'a whole number', number: 'a number', string: 'text', boolean: 'true or false', object: 'a mapping', array: 'a list' };

function ajvMessage(e: ErrorObject): { pointer: string; key: boolean; message: string } {
  const where = displayPath(e.instancePath);
  const got = e.data === undefined ? '' : ` (got ${JSON.stringify(e.data)})`;
  const described = (e.parentSchema as { description?: string } | undefined)?.description;
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String(e.params.additionalProperty);
      const pointer = `${e.instancePath}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const parent = e.instancePath === '' ? '' : ` in ${where}`;
      const allowed = allowedKeys(SCENARIO_SCHEMA, e.instancePath);
      const what = e.instancePath === '/thresholds' ? ': not a criterion id' : e.instancePath === '/baseline/tolerances' ? ': not a baseline metric' : '';
      return { pointer, key: true, message: `unknown key "${name}"${parent}${what}${didYouMean(name, allowed)}` };
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
    case 'uniqueItems':
      return { pointer: e.instancePath, key: false, message: `${where} lists the same item twice (items ${e.params.j} and ${e.params.i}, counted from 0)` };
    default:
      return { pointer: e.instancePath, key: false, message: `${where} ${e.message ?? 'is invalid'}` };
  }
}

const QUOTE_HINT = 'a value that starts with < or > must be quoted in YAML, e.g. uptime: ">= 100%"';

/**
 * Parses and checks a scenario's text. Pure but for `env`, which supplies
 * `${NAME}` references. `scenario` is set only when there is no problem.
 */
export function parseScenario(text: string, file: string, env: Env = process.env): ParsedScenario {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems: ScenarioProblem[] = [];
  const at = (offset: number, message: string) => {
    const p = lines.linePos(offset);
    problems.push({ line: p.line, col: p.col, message });
  };
  if (doc.errors.length > 0) {
    // One YAML mistake often yields several errors on its line; the first says it best.
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
    return { problems: dedupe(problems) };
  }
  const data: unknown = doc.toJS();
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    at(0, 'a scenario must be a mapping of settings (key: value), such as "clients: 10"');
    return { problems };
  }
  const badPointers = new Set<string>();
  if (!validate(data)) {
    for (const e of validate.errors ?? []) {
      const m = ajvMessage(e);
      badPointers.add(m.pointer);
      at(offsetOf(doc, m.pointer, m.key), m.message);
    }
  }
  const scenario = checkScenario(data as Record<string, unknown>, file, env, badPointers, (pointer, message) => at(offsetOf(doc, pointer), message));
  const all = dedupe(problems);
  return all.length === 0 ? { scenario, problems: all } : { problems: all };
}

function dedupe(problems: ScenarioProblem[]): ScenarioProblem[] {
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

/** One line per problem, `file:line:col: message`, as compilers print them. */
export function formatProblems(file: string, problems: readonly ScenarioProblem[]): string[] {
  return problems.map((p) => `${file}:${p.line}:${p.col}: ${p.message}`);
}

/** Reads and parses a scenario file; throws one usage error listing every problem. */
export function loadScenario(path: string, env: Env = process.env): Scenario {
  const text = readInput(path, 'scenario');
  const parsed = parseScenario(text, path, env);
  if (!parsed.scenario) throw usageError(`scenario ${path} has ${parsed.problems.length} problem(s):\n${formatProblems(path, parsed.problems).join('\n')}`);
  return parsed.scenario;
}
