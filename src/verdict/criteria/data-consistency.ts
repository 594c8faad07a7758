import type { ViolationKind } from '../../metrics/names.js';
import type { Sample } from '../../metrics/snapshot.js';
import { listKinds, result, sampledNote } from './format.js';
import type { Criterion } from './types.js';

/** The violations that say values did not move as they must, or differed between clients. */
export const CONSISTENCY_KINDS: readonly ViolationKind[] = ['timestamp_went_back', 'value_went_back', 'value_stuck', 'tick_mismatch', 'values_per_client', 'invariant_broken'];

/** What a finding's count counts, per kind. */
const COUNTED: Partial<Record<ViolationKind, (n: number) => string>> = {
  tick_mismatch: (n) => `${n} tick(s) differ on this field`,
  values_per_client: (n) => `${n} window(s) with 3+ versions of it`,
};
const counted = (kind: ViolationKind, n: number) => `${kind}: ${COUNTED[kind]?.(n) ?? `${n} time(s)`}`;

/**
 * One line per root cause: the findings (`finding:<kind> <message type>
 * <field>` counters) of the consistency kinds, grouped by message type and
 * field across kinds, each with its first example and every kind's count.
 * A field drawn per client is one line, not two anonymous totals:
 *   "tps_update currentTPS: client 3 saw 801234, client 7 saw 790112 at ts 1730000000000
 *    (tick_mismatch: 8940 tick(s) differ on this field; values_per_client: 52 window(s) with 3+ versions of it)"
 * Returns the lines and, per kind, how many violations they cover.
 */
export function consistencyFindings(findings: Readonly<Record<string, number>>, samples: readonly Sample[]): { lines: string[]; covered: Map<ViolationKind, number> } {
  const byKey = new Map<string, Array<[ViolationKind, number]>>();
  const covered = new Map<ViolationKind, number>();
  for (const [name, n] of Object.entries(findings)) {
    const space = name.indexOf(' ');
    const kind = name.slice(0, space) as ViolationKind;
    if (space < 0 || !CONSISTENCY_KINDS.includes(kind) || n <= 0) continue;
    const key = name.slice(space + 1);
    byKey.set(key, [...(byKey.get(key) ?? []), [kind, n]]);
    covered.set(kind, (covered.get(kind) ?? 0) + n);
  }
  const total = (kinds: Array<[ViolationKind, number]>) => kinds.reduce((a, [, n]) => a + n, 0);
  const lines = [...byKey]
    .sort(([ka, a], [kb, b]) => total(b) - total(a) || (ka < kb ? -1 : 1))
    .map(([key, kinds]) => {
      kinds.sort(([a], [b]) => CONSISTENCY_KINDS.indexOf(a) - CONSISTENCY_KINDS.indexOf(b));
      const example = kinds.map(([kind]) => samples.find((s) => s.kind === kind && s.finding === key)).find((s) => s !== undefined);
      const counts = kinds.map(([kind, n]) => counted(kind, n)).join('; ');
      return `${example?.detail ?? key} (${counts}${example ? '' : '; no example kept'})`;
    });
  return { lines, covered };
}

/** `data_consistency`: values that must move do, clients that receive one tick see the same values, and the profile's invariants hold. */
export const dataConsistency: Criterion = {
  id: 'data_consistency',
  title: () => 'Data consistency',
  fixed: '0 violations',
  needsStream: true,
  judge({ metrics: m, samples = [] }) {
    const v = listKinds(m.violations, CONSISTENCY_KINDS);
    const { lines, covered } = consistencyFindings(m.findings, samples);
    // what no finding covers (an older snapshot, invariants) keeps its "kind n" total
    const rest: Partial<Record<ViolationKind, number>> = {};
    for (const k of CONSISTENCY_KINDS) rest[k] = (m.violations[k] ?? 0) - (covered.get(k) ?? 0);
    const others = listKinds(rest, CONSISTENCY_KINDS).text;
    // an invariant is the profile's own rule: show the first one broken, with the values it read
    const broken = samples.find((x) => x.kind === 'invariant_broken');
    const example = broken ? `; first: ${broken.detail}` : '';
    const text = [...lines, others].filter(Boolean).join('; ');
    return result('data_consistency', v.total === 0, `${v.total} violation(s)`, '0 violations', text + example + sampledNote(m.checked, 'values'));
  },
};
