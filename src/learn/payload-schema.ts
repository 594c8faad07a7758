import { createCompoundSchema } from 'genson-js';
import type { JsonSchema } from '../profile/index.js';
import { isObject, list, num, type Json } from './observed.js';

/**
 * A payload's JSON Schema from the messages seen. genson-js infers the
 * types and `required` (fields every message had) from the samples, so no
 * type inference is hand-written here; on top come what a load test wants
 * and genson-js does not say: number ranges, widened by a wide margin so the
 * next minutes of a wandering value still fit, and enums for small string
 * sets that look closed (each value came back after another one).
 *   celsius 18.1..21.4 -> minimum 0, maximum 64 (wide: a guess)
 *   zone north, south, north, south -> enum [north, south]
 *   code ABC, XQZ, MNO (none came back) -> a string, not an enum
 */

/** Most distinct values an enum may have. */
const ENUM_MAX = 8;

export interface SchemaGuess {
  readonly schema: JsonSchema;
  /** Evidence per property. */
  readonly why: Record<string, string>;
}

/** Rounds outward to a step a person would write. */
function outward(value: number, margin: number, integer: boolean, down: boolean): number {
  const step = integer ? Math.max(1, 10 ** Math.floor(Math.log10(Math.max(margin, 1)))) : 10 ** Math.floor(Math.log10(margin || Math.abs(value) || 1));
  const r = (down ? Math.floor(value / step) : Math.ceil(value / step)) * step;
  return Number(r.toPrecision(12));
}

/**
 * A few seconds of a wandering value say little of its bounds, so the
 * bounds are wide: two spans, and at least twice the largest magnitude seen,
 * each side (kept at 0 when nothing negative was seen). That still catches
 * what a range is for in a draft: a unit or a scale gone wrong.
 */
function numberRange(values: number[], integer: boolean, rising: boolean): { min?: number; max?: number; why: string } {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = hi - lo;
  const margin = Math.max(2 * span, 2 * Math.max(Math.abs(lo), Math.abs(hi)), integer ? 1 : 0.01);
  let min = outward(lo - margin, margin, integer, true);
  if (lo >= 0 && min < 0) min = 0;
  const seen = `seen ${num(lo)}..${num(hi)} in ${values.length}`;
  if (rising) return { min: lo >= 0 ? 0 : min, why: `${seen}; it rises, so no maximum` };
  const max = outward(hi + margin, margin, integer, false);
  return { min, max, why: `${seen}; bounds wide (two spans, or twice the largest magnitude, each side${lo >= 0 ? ', never below 0' : ''}): seconds of watching do not show a range` };
}

/** Runs of equal values in message order: a closed set shows its values again after others. */
function runs(values: unknown[]): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (i === 0 || values[i] !== values[i - 1]) n += 1;
  return n;
}

function stringShape(values: string[]): { enum?: string[]; minLength?: number; examples: string[]; why: string } {
  const distinct = [...new Set(values)];
  const shortest = Math.min(...values.map((v) => v.length));
  if (distinct.length >= 2 && distinct.length <= ENUM_MAX && runs(values) >= 2 * distinct.length) {
    return { enum: distinct.sort(), examples: [], why: `${distinct.length} values (${list(distinct)}) that came back ${runs(values)} times in ${values.length}: a closed set` };
  }
  const why = distinct.length === 1
    ? `always "${distinct[0]}" (${values.length} messages): kept as an example, not fixed`
    : `${distinct.length} distinct values in ${values.length}${distinct.length <= ENUM_MAX ? `, too few returns (${runs(values)} runs) to call the set closed` : ''}`;
  return { ...(shortest > 0 ? { minLength: 1 } : {}), examples: distinct.slice(0, 4), why };
}

/** The payload schema of one message type; `rising` fields get no maximum. */
export function inferPayloadSchema(payloads: readonly Json[], rising: readonly string[] = [], ranges = true): SchemaGuess {
  const schema = createCompoundSchema(payloads as Json[]) as JsonSchema;
  const why: Record<string, string> = {};
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const [key, prop] of Object.entries(props)) {
    const values = payloads.map((p) => p[key]).filter((v) => v !== undefined && v !== null);
    if (!ranges) continue;
    if (prop.type === 'integer' || prop.type === 'number') {
      const nums = values.filter((v): v is number => typeof v === 'number');
      const r = numberRange(nums, prop.type === 'integer', rising.includes(key));
      if (r.min !== undefined) prop.minimum = r.min;
      if (r.max !== undefined) prop.maximum = r.max;
      if (!rising.includes(key)) prop.examples = [Math.min(...nums), Math.max(...nums)];
      why[key] = r.why;
    } else if (prop.type === 'string') {
      const s = stringShape(values.filter((v): v is string => typeof v === 'string'));
      if (s.enum) {
        delete prop.type;
        prop.enum = s.enum;
      }
      if (s.minLength !== undefined) prop.minLength = s.minLength;
      if (s.examples.length > 0) prop.examples = s.examples;
      why[key] = s.why;
    } else if (isObject(prop) && prop.type === 'object') {
      why[key] = 'an object: its fields typed from the samples, no ranges';
    }
  }
  if (Array.isArray(schema.required)) schema.required = [...(schema.required as string[])];
  return { schema, why };
}
