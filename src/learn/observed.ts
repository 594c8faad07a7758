/**
 * Frames read as messages, once the envelope is known: the shape every
 * other inference step works on.
 */
export type Json = Record<string, unknown>;

/** A JSON object frame, before the envelope is known. */
export interface ObjectFrame {
  readonly conn: number;
  readonly at: number;
  readonly value: Json;
}

export interface Message {
  readonly conn: number;
  readonly at: number;
  readonly type: string;
  /** The envelope timestamp in epoch ms, when the message carries one. */
  readonly tsMs?: number;
  readonly payload: Json;
}

/** A guess with the evidence for it, written beside it in the profile. */
export interface Note {
  /** Where in the profile document (keys and indices). */
  readonly path: readonly (string | number)[];
  readonly text: string;
}

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
}

/** Numbers for comments: 3 significant figures at most, no exponent for everyday sizes. */
export function num(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toPrecision(Math.abs(n) >= 1 ? Math.max(3, Math.ceil(Math.log10(Math.abs(n)))) : 3)));
}

export function list(values: readonly unknown[], max = 6): string {
  const shown = values.slice(0, max).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return values.length > max ? `${shown.join(', ')}, ... (${values.length})` : shown.join(', ');
}

export function byConnection<T extends { conn: number }>(items: readonly T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const it of items) {
    let l = out.get(it.conn);
    if (!l) out.set(it.conn, (l = []));
    l.push(it);
  }
  return out;
}
