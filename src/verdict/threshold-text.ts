import { CRITERION_IDS, type CriterionId } from './criteria.js';
import { CRITERIA, criterionById, type Thresholds } from './criteria/index.js';
import { readClauses, type ThresholdSettings } from './criteria/grammar.js';
import { DEFAULT_THRESHOLDS } from './thresholds.js';
import type { ScenarioChecks } from '../scenario/file.js';
import type { ThresholdTexts } from '../scenario/settings.js';
import { didYouMean } from '../source/suggest.js';

export type { ThresholdSettings } from './criteria/grammar.js';

/**
 * Thresholds as people write them, one line per criterion id: a scenario
 * keeps them as their text (`thresholds: { latency: "p99 < 500ms" }`), and
 * the verdict reads them here against each criterion module's clauses (see
 * criteria/grammar.ts for the syntax). Pure: returns problems instead of
 * throwing.
 */

/** Ids whose threshold a scenario may set. */
export const ADJUSTABLE_CRITERIA: CriterionId[] = CRITERIA.filter((c) => c.clauses).map((c) => c.id);

/** The readable form of thresholds, one line per adjustable criterion: the inverse of `parseThresholdText`. */
export function formatThresholdTexts(t: Thresholds, minClients: number): Partial<Record<CriterionId, string>> {
  const out: Partial<Record<CriterionId, string>> = {};
  for (const c of CRITERIA) if (c.format) out[c.id] = c.format(t, minClients);
  return out;
}

/** Parses one criterion's threshold line. Every problem is returned, each a sentence that names the criterion and shows the accepted form. */
export function parseThresholdText(id: string, text: string): { settings: ThresholdSettings; problems: string[] } {
  const criterion = criterionById(id);
  if (!criterion) return { settings: { thresholds: {} }, problems: [`"${id}" is not a criterion id`] };
  if (!criterion.clauses) {
    return { settings: { thresholds: {} }, problems: [`${id} has a fixed threshold (${criterion.fixed ?? 'not adjustable'}) that a scenario cannot change`] };
  }
  return readClauses(id, text, criterion.clauses, criterion.format?.(DEFAULT_THRESHOLDS, 10) ?? '');
}

export interface ThresholdProblem {
  /** The criterion id (the key in the scenario's `thresholds:`). */
  id: string;
  /** The problem is the id itself (an unknown key), not its text. */
  key: boolean;
  message: string;
}

export interface ResolvedThresholds {
  thresholds: Thresholds;
  /** Set by a `concurrency` line. */
  minClients?: number;
  problems: ThresholdProblem[];
}

/** The limits a set of threshold texts gives, over the defaults, with every problem. Pure. */
export function resolveThresholds(texts: ThresholdTexts = {}): ResolvedThresholds {
  const thresholds: Thresholds = { ...DEFAULT_THRESHOLDS };
  const problems: ThresholdProblem[] = [];
  let minClients: number | undefined;
  for (const [id, text] of Object.entries(texts)) {
    if (!criterionById(id)) {
      problems.push({ id, key: true, message: `unknown key "${id}" in thresholds: not a criterion id${didYouMean(id, CRITERION_IDS)}` });
      continue;
    }
    const parsed = parseThresholdText(id, String(text));
    for (const message of parsed.problems) problems.push({ id, key: false, message });
    Object.assign(thresholds, parsed.settings.thresholds);
    if (parsed.settings.minClients !== undefined) minClients = parsed.settings.minClients;
  }
  return { thresholds, ...(minClients !== undefined ? { minClients } : {}), problems };
}

/** The verdict's reading of a scenario's thresholds, for `parseScenario` and `validate`: problems at their position, and concurrency's minimum clients. */
export const SCENARIO_CHECKS: ScenarioChecks = {
  thresholds(texts) {
    const r = resolveThresholds(texts);
    return { problems: r.problems, ...(r.minClients !== undefined ? { minClients: { value: r.minClients, from: 'concurrency' } } : {}) };
  },
};
