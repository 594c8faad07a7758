import type { CriterionId } from '../verdict/criteria.js';
import { CRITERION_IDS } from '../verdict/criteria.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../verdict/thresholds.js';
import { readDuration, readShare, readSize, UnitRefusal } from '../source/units.js';

/**
 * Thresholds as people write them in a scenario file, one line per
 * criterion id, parsed onto the `Thresholds` fields the verdict reads:
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
 * Pure: returns problems instead of throwing.
 */

type Unit = 'time' | 'share' | 'rate' | 'slope' | 'count';
type Op = '<' | '<=' | '>=' | '>';

/** What a threshold line sets besides the verdict's `Thresholds`. */
export interface ThresholdSettings {
  thresholds: Partial<Thresholds>;
  minClients?: number;
}

type Target = keyof Thresholds | 'minClients';

interface Clause {
  /** Stat words accepted before the operator; '' means it may be left out. */
  stats: readonly string[];
  op: Op;
  unit: Unit;
  target: Target;
}

const RULES: Partial<Record<CriterionId, readonly Clause[]>> = {
  connect: [{ stats: ['', 'share'], op: '>=', unit: 'share', target: 'connectShare' }],
  handshake: [{ stats: ['p99'], op: '<=', unit: 'time', target: 'welcomeP99Ms' }],
  latency: [{ stats: ['p99'], op: '<', unit: 'time', target: 'latencyP99Ms' }],
  // The verdict holds mean and p99 over connections to one limit.
  bandwidth: [{ stats: ['', 'mean', 'p99'], op: '<', unit: 'rate', target: 'bandwidthBps' }],
  uptime: [{ stats: ['', 'share'], op: '>=', unit: 'share', target: 'uptimeShare' }],
  fallback: [
    { stats: ['ok'], op: '>=', unit: 'share', target: 'fallbackOkShare' },
    { stats: ['p99'], op: '<=', unit: 'time', target: 'fallbackP99Ms' },
  ],
  server_cpu: [{ stats: ['', 'mean'], op: '<', unit: 'share', target: 'serverCpuShare' }],
  server_memory: [
    { stats: ['slope'], op: '<', unit: 'slope', target: 'memorySlopeMBPerMin' },
    { stats: ['growth'], op: '<', unit: 'share', target: 'memoryGrowthShare' },
  ],
  reconnect: [{ stats: ['p99'], op: '<=', unit: 'time', target: 'reconnectP99Ms' }],
  concurrency: [{ stats: ['clients'], op: '>=', unit: 'count', target: 'minClients' }],
};

/** Fixed limits of the criteria a scenario cannot move, for the error message. */
const FIXED: Partial<Record<CriterionId, string>> = {
  message_types: '0 violations',
  cadence: 'mean within 5 %, p99 <= 1.5x, p1 >= 0.5x interval',
  data_consistency: '0 violations',
  subscriptions: 'all probes pass',
  error_handling: 'all probes pass',
  keepalive: 'all probes pass',
  unintended_disconnects: '0',
  data_loss: '0 lost, 0 duplicates',
};

const UNIT_EXAMPLE: Record<Unit, string> = {
  time: '500ms, 2s',
  share: '99.5%',
  rate: '1024B/s, 1KiB/s',
  slope: '1MB/min',
  count: '10',
};

/** Parses `500ms`, `99.5%`, `1KiB/s`, `1MB/min` or `10` in the given unit (src/units.ts); undefined when it does not fit. */
export function parseQuantity(text: string, unit: Unit | 'any-time'): number | undefined {
  const t = text.trim();
  const value = (v: number | UnitRefusal): number | undefined => (v instanceof UnitRefusal ? undefined : v);
  switch (unit) {
    case 'time':
    case 'any-time':
      return value(readDuration(t));
    case 'share':
      return value(readShare(t));
    case 'rate': {
      const r = /^(.+?)\s*\/\s*s$/i.exec(t);
      // a rate needs its unit: 1024B/s, not 1024/s
      return r && /[a-z]$/i.test(r[1]) ? value(readSize(r[1])) : undefined;
    }
    case 'slope': {
      const r = /^(.+?)\s*\/\s*min$/i.exec(t);
      const bytes = r && /[a-z]$/i.test(r[1]) ? value(readSize(r[1])) : undefined;
      return bytes === undefined ? undefined : bytes / 1024 ** 2;
    }
    case 'count':
      return /^\d+$/.test(t) ? Number(t) : undefined;
  }
}

const CLAUSE = /^([a-z][a-z0-9_]*)?\s*(<=|>=|<|>|=)\s*(.+)$/i;

function describe(c: Clause): string {
  return `${c.stats.find((s) => s !== '') ?? ''} ${c.op} <${c.unit}>`.trim();
}

/**
 * Parses one criterion's threshold line. Every problem is returned, each a
 * sentence that names the criterion and shows the accepted form.
 */
export function parseThresholdText(id: string, text: string): { settings: ThresholdSettings; problems: string[] } {
  const settings: ThresholdSettings = { thresholds: {} };
  const problems: string[] = [];
  if (!(CRITERION_IDS as readonly string[]).includes(id)) return { settings, problems: [`"${id}" is not a criterion id`] };
  const rules = RULES[id as CriterionId];
  if (!rules) {
    problems.push(`${id} has a fixed threshold (${FIXED[id as CriterionId] ?? 'not adjustable'}) that a scenario cannot change`);
    return { settings, problems };
  }
  const clauses = text.split(/\s*,\s*|\s+and\s+/i).filter((c) => c.trim() !== '');
  if (clauses.length === 0) problems.push(`${id}: empty threshold; write e.g. "${rules.map(describe).join(', ')}"`);
  const seen = new Map<Target, number>();
  for (const raw of clauses) {
    const m = CLAUSE.exec(raw.trim());
    if (!m) {
      problems.push(`${id}: cannot read "${raw}"; write ${rules.map((r) => `"${describe(r)}"`).join(' and/or ')}, e.g. ${example(id as CriterionId)}`);
      continue;
    }
    const stat = (m[1] ?? '').toLowerCase();
    const op = m[2];
    const rule = rules.find((r) => r.stats.includes(stat));
    if (!rule) {
      const allowed = [...new Set(rules.flatMap((r) => r.stats))].filter(Boolean);
      problems.push(`${id}: "${stat || '(none)'}" is not a statistic of this criterion; use ${allowed.map((s) => `"${s}"`).join(' or ')}`);
      continue;
    }
    if (op !== rule.op) {
      problems.push(`${id}: the verdict compares ${stat || 'it'} with ${rule.op}; write "${`${stat} ${rule.op} ${m[3].trim()}`.trim()}"`);
      continue;
    }
    const value = parseQuantity(m[3], rule.unit);
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

function example(id: CriterionId): string {
  return `"${formatThresholdTexts(DEFAULT_THRESHOLDS, 10)[id] ?? ''}"`;
}

const num = (v: number) => String(Number(v.toFixed(6)));
const pctText = (v: number) => `${num(v * 100)}%`;

/** The readable form of thresholds, one line per adjustable criterion: the inverse of `parseThresholdText`. */
export function formatThresholdTexts(t: Thresholds, minClients: number): Partial<Record<CriterionId, string>> {
  return {
    connect: `share >= ${pctText(t.connectShare)}`,
    handshake: `p99 <= ${num(t.welcomeP99Ms)}ms`,
    latency: `p99 < ${num(t.latencyP99Ms)}ms`,
    bandwidth: `mean < ${num(t.bandwidthBps)}B/s`,
    uptime: `share >= ${pctText(t.uptimeShare)}`,
    fallback: `ok >= ${pctText(t.fallbackOkShare)}, p99 <= ${num(t.fallbackP99Ms)}ms`,
    server_cpu: `mean < ${pctText(t.serverCpuShare)}`,
    server_memory: `slope < ${num(t.memorySlopeMBPerMin)}MB/min, growth < ${pctText(t.memoryGrowthShare)}`,
    reconnect: `p99 <= ${num(t.reconnectP99Ms)}ms`,
    concurrency: `clients >= ${minClients}`,
  };
}

/** Ids whose threshold a scenario may set. */
export const ADJUSTABLE_CRITERIA = Object.keys(RULES) as CriterionId[];
