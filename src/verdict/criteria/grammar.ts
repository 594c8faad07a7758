import { parseQuantity, UNIT_EXAMPLE, type Unit } from '../../scenario/quantity.js';
import type { Thresholds } from './types.js';

/**
 * The grammar of one criterion's threshold line in a scenario file:
 *
 *   latency: p99 < 500ms                 -> latencyP99Ms = 500
 *   bandwidth: mean < 1KiB/s             -> bandwidthBps = 1024
 *   uptime: share >= 99.5%               -> uptimeShare = 0.995
 *   fallback: ok >= 99%, p99 <= 2s       -> fallbackOkShare = 0.99, fallbackP99Ms = 2000
 *   concurrency: clients >= 10           -> minClients = 10 (a run setting)
 *
 * A line is clauses joined by `,` or `and`; a clause is `[stat] op value`.
 * The operator must be the one the verdict compares with (`latency` passes
 * on p99 *strictly* below its limit), so what the file says is what is judged.
 * Each criterion module lists its clauses; this file reads a line against them.
 */
export type Op = '<' | '<=' | '>=' | '>';
export type ClauseTarget = keyof Thresholds | 'minClients';

export interface Clause {
  /** Stat words accepted before the operator; '' means it may be left out. */
  readonly stats: readonly string[];
  readonly op: Op;
  readonly unit: Unit;
  readonly target: ClauseTarget;
}

/** What one threshold line sets: limits of the verdict and, for concurrency, the run's minimum clients. */
export interface ThresholdSettings {
  thresholds: Partial<Thresholds>;
  minClients?: number;
}

const CLAUSE = /^([a-z][a-z0-9_]*)?\s*(<=|>=|<|>|=)\s*(.+)$/i;

export function describeClause(c: Clause): string {
  return `${c.stats.find((s) => s !== '') ?? ''} ${c.op} <${c.unit}>`.trim();
}

/** Reads one line against a criterion's clauses; every problem is returned, each naming the criterion and the accepted form. Pure. */
export function readClauses(id: string, text: string, rules: readonly Clause[], example: string): { settings: ThresholdSettings; problems: string[] } {
  const settings: ThresholdSettings = { thresholds: {} };
  const problems: string[] = [];
  const clauses = text.split(/\s*,\s*|\s+and\s+/i).filter((c) => c.trim() !== '');
  if (clauses.length === 0) problems.push(`${id}: empty threshold; write e.g. "${rules.map(describeClause).join(', ')}"`);
  const seen = new Map<ClauseTarget, number>();
  for (const raw of clauses) {
    const m = CLAUSE.exec(raw.trim());
    if (!m) {
      problems.push(`${id}: cannot read "${raw}"; write ${rules.map((r) => `"${describeClause(r)}"`).join(' and/or ')}, e.g. "${example}"`);
      continue;
    }
    const stat = (m[1] ?? '').toLowerCase();
    const op = m[2];
    const rule = rules.find((r) => r.stats.includes(stat));
    if (!rule) {
      const allowed = [...new Set(rules.flatMap((r) => r.stats))].filter(Boolean);
      // the line as it should read: `< 200ms` -> "p99 < 200ms"
      const fixed = `"${allowed[0]} ${op} ${m[3].trim()}"${allowed.length > 1 ? ` (or ${allowed.slice(1).join(', ')})` : ''}`;
      problems.push(stat === '' ? `${id}: "${raw.trim()}" names no statistic; write ${fixed}` : `${id}: "${stat}" is not a statistic of this criterion; write ${fixed}`);
      continue;
    }
    if (op !== rule.op) {
      problems.push(`${id}: the verdict compares ${stat || 'it'} with ${rule.op}; write "${`${stat} ${rule.op} ${m[3].trim()}`.trim()}"`);
      continue;
    }
    const value = parseQuantity(m[3], rule.unit);
    const bare = m[3].trim();
    if (value === undefined && rule.unit === 'share' && /^\d+(?:\.\d+)?$/.test(bare)) {
      // as units.ts says it: a share is a percentage; a fraction (0.995) is taken for what it would mean
      problems.push(`${id}: "${bare}": write ${Number(bare) > 1 ? bare : Number((Number(bare) * 100).toFixed(4))}%`);
      continue;
    }
    if (value === undefined) {
      problems.push(`${id}: "${m[3].trim()}" is not a ${rule.unit === 'count' ? 'whole number' : rule.unit} (e.g. ${UNIT_EXAMPLE[rule.unit]})`);
      continue;
    }
    if (rule.unit === 'share' && value > 1) {
      problems.push(`${id}: ${m[3].trim()} is more than 100%`);
      continue;
    }
    const before = seen.get(rule.target);
    if (before !== undefined && before !== value) {
      problems.push(`${id}: ${stat || 'the limit'} disagrees with an earlier clause; the verdict holds ${rule.stats.filter(Boolean).join(' and ')} to one limit`);
      continue;
    }
    seen.set(rule.target, value);
    if (rule.target === 'minClients') settings.minClients = value;
    else settings.thresholds[rule.target] = value;
  }
  return { settings, problems };
}
