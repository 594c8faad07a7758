import { Ajv } from 'ajv';
import { usageError } from '../errors.js';
import { SCENARIO_SCHEMA } from './schema.js';
import { checkScenario, type Scenario } from './semantics.js';
import type { ThresholdTexts } from './settings.js';
import { ajvProblem, escapePointer, formatProblems, offsetOf, parseSource, sortedProblems } from '../source/yaml-doc.js';
import { readInput } from '../read-input.js';
import { prepareProfile } from '../profile/index.js';

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

/**
 * Checks the scenario stage cannot make itself, handed in by a later stage:
 * the verdict knows the criterion ids and reads the threshold lines
 * (verdict/threshold-text.ts, `SCENARIO_CHECKS`), so the scenario never
 * imports it. Without checks the thresholds are kept unread.
 */
export interface ScenarioChecks {
  thresholds(texts: ThresholdTexts): {
    /** Each at the line's key (`key`: the id itself is wrong) or its value. */
    problems: readonly { id: string; key: boolean; message: string }[];
    /** A line that sets the run's minimum clients (`concurrency: clients >= 100`), and its id. */
    minClients?: { value: number; from: string };
  };
}

const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, verbose: true, strict: false });
const validate = ajv.compile(SCENARIO_SCHEMA);

export { displayPath } from '../source/yaml-doc.js';

/** What an unknown key at a place is not. */
function unknownKeyNote(instancePath: string): string {
  return instancePath === '/thresholds' ? ': not a criterion id' : instancePath === '/baseline/tolerances' ? ': not a baseline metric' : '';
}

/**
 * Parses and checks a scenario's text. Pure but for `env`, which supplies
 * `${NAME}` references. `scenario` is set only when there is no problem.
 */
export function parseScenario(text: string, file: string, env: Env = process.env, checks?: ScenarioChecks): ParsedScenario {
  const source = parseSource(text);
  const problems = source.problems;
  if (problems.length > 0) return { problems: sortedProblems(problems) };
  const { doc } = source;
  const data = source.data;
  const at = (offset: number, message: string) => source.atOffset(offset, message);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    at(0, 'a scenario must be a mapping of settings (key: value), such as "clients: 10"');
    return { problems };
  }
  const badPointers = new Set<string>();
  if (!validate(data)) {
    for (const e of validate.errors ?? []) {
      const m = ajvProblem(e, SCENARIO_SCHEMA, unknownKeyNote);
      badPointers.add(m.pointer);
      at(offsetOf(doc, m.pointer, m.key), m.message);
    }
  }
  const scenario = checkScenario(data as Record<string, unknown>, file, env, badPointers, (pointer, message) => at(offsetOf(doc, pointer), message));
  const texts = scenario.settings.thresholds;
  if (texts && checks) {
    const pointer = (id: string) => `/thresholds/${escapePointer(id)}`;
    const read = checks.thresholds(texts);
    for (const p of read.problems) at(offsetOf(doc, pointer(p.id), p.key), p.message);
    const min = read.minClients;
    if (min) {
      const own = scenario.settings.minClients;
      if (own !== undefined && own !== min.value) at(offsetOf(doc, pointer(min.from)), `${min.from} says clients >= ${min.value} but minClients is ${own}; keep one`);
      scenario.settings.minClients = min.value;
    }
  }
  const all = sortedProblems(problems);
  return all.length === 0 ? { scenario, problems: all } : { problems: all };
}

export { formatProblems };

/** Reads and parses a scenario file; throws one usage error listing every problem. */
export function loadScenario(path: string, env: Env = process.env, checks?: ScenarioChecks): Scenario {
  const text = readInput(path, '--scenario');
  const parsed = parseScenario(text, path, env, checks);
  if (!parsed.scenario) throw usageError(`scenario ${path} has ${parsed.problems.length} problem(s):\n${formatProblems(path, parsed.problems).join('\n')}`);
  return parsed.scenario;
}

/**
 * The profile a scenario's text names (`profile: feed.asyncapi.yaml`), made
 * known before the scenario's synchronous check looks it up: an AsyncAPI
 * document is read by an asynchronous parser (profile/index.ts,
 * prepareProfile). Text that does not parse, or names no profile file, is
 * left to the check, which says what is wrong at its position.
 */
export async function prepareScenarioProfile(text: string): Promise<void> {
  const source = parseSource(text);
  const data = source.problems.length === 0 ? (source.data as Record<string, unknown> | null) : undefined;
  const ref = data && typeof data === 'object' && !Array.isArray(data) ? data.profile : undefined;
  if (typeof ref === 'string') await prepareProfile(ref);
}

/** loadScenario for a scenario whose profile may be an AsyncAPI document (run, compare and the library). */
export async function readScenario(path: string, env: Env = process.env, checks?: ScenarioChecks): Promise<Scenario> {
  await prepareScenarioProfile(readInput(path, '--scenario'));
  return loadScenario(path, env, checks);
}
