import type { CriterionId, CriterionResult } from '../criteria.js';

/** Small shared wording of the criterion modules. */
export const ms = (v: number): string => (v >= 100 ? `${v.toFixed(0)} ms` : `${v.toFixed(1)} ms`);
export const pct = (v: number): string => `${(v * 100).toFixed(v === 1 || v === 0 ? 0 : 2)} %`;
/** A number as a threshold text writes it: 0.995 -> "0.995", 1/3 -> "0.333333". */
export const num = (v: number): string => String(Number(v.toFixed(6)));
export const pctText = (v: number): string => `${num(v * 100)}%`;

export function result(id: CriterionId, pass: boolean, observed: string, threshold: string, detail = ''): CriterionResult {
  return { id, status: pass ? 'pass' : 'fail', observed, threshold, detail };
}

export function skipped(id: CriterionId, threshold: string, reason: string): CriterionResult {
  return { id, status: 'skipped', observed: '-', threshold, detail: reason };
}

/** The total of the given kinds and a "kind n, kind n" text of those above 0. */
export function listKinds<K extends string>(counts: Partial<Record<K, number>>, kinds: readonly K[]): { total: number; text: string } {
  const parts: string[] = [];
  let total = 0;
  for (const k of kinds) {
    const v = counts[k] ?? 0;
    if (v > 0) {
      total += v;
      parts.push(`${k} ${v}`);
    }
  }
  return { total, text: parts.join(', ') };
}

/** Share of full checks, for a detail: '' unless --check-sample left some connections light. */
export function sampledNote(checked: { full: number; light: number }, what: string): string {
  return checked.light > 0 ? `; ${what} checked on ${checked.full} of ${checked.full + checked.light} connections (--check-sample)` : '';
}
