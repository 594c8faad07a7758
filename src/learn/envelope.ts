import type { TimestampUnit } from '../profile/index.js';
import { isObject, list, median, num, type ObjectFrame } from './observed.js';

/**
 * Where a message keeps its parts, read from the top-level keys of every
 * frame: the type (a string key with few values), the timestamp (a number
 * key close to the receive time in s, ms or us) and the payload (the object
 * key). A key counts when nearly every message has it: a reply may lack
 * one.
 *   {type: "tick", ts: 1730000000.2, data: {...}} x 300, type with 3 values
 *     -> type: type, timestamp: ts (s), payload: data
 */
export interface EnvelopeGuess {
  readonly type: string;
  readonly payload: string;
  readonly timestamp?: string;
  readonly unit: TimestampUnit;
  readonly why: { readonly type: string; readonly payload: string; readonly timestamp: string };
}

/** Share of messages that must carry a key for it to be part of the envelope. */
const PRESENT = 0.9;
const DAY_MS = 86_400_000;
const SCALE: Record<TimestampUnit, number> = { s: 1000, ms: 1, us: 0.001 };

function keysWith(frames: readonly ObjectFrame[], test: (v: unknown) => boolean): string[] {
  const counts = new Map<string, number>();
  for (const f of frames) for (const [k, v] of Object.entries(f.value)) if (test(v)) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].filter(([, n]) => n >= PRESENT * frames.length).map(([k]) => k);
}

export function inferEnvelope(frames: readonly ObjectFrame[]): EnvelopeGuess | string {
  const n = frames.length;
  const typeCandidates = keysWith(frames, (v) => typeof v === 'string').map((k) => {
    const values = new Set(frames.map((f) => f.value[k]).filter((v): v is string => typeof v === 'string'));
    return { k, values: [...values] };
  });
  // few values name types; a key with a value per message (an id) names nothing
  const most = Math.max(2, Math.min(40, Math.floor(n / 3)));
  const fitting = typeCandidates.filter((c) => c.values.length <= most).sort((a, b) => (a.values.length >= 2 ? 0 : 1) - (b.values.length >= 2 ? 0 : 1) || a.values.length - b.values.length);
  const type = fitting[0];
  if (!type) return `no top-level text field with few values names the messages' type (looked at ${n} messages)`;
  const payloadKey = keysWith(frames, isObject)[0];
  if (!payloadKey) return `no top-level field holds an object payload in most messages (looked at ${n} messages; keys: ${list(Object.keys(frames[0].value))})`;
  let timestamp: { k: string; unit: TimestampUnit; offset: number } | undefined;
  for (const k of keysWith(frames, (v) => typeof v === 'number' && Number.isFinite(v))) {
    for (const unit of ['ms', 's', 'us'] as const) {
      const offsets = frames.filter((f) => typeof f.value[k] === 'number').map((f) => f.at - (f.value[k] as number) * SCALE[unit]);
      const offset = median(offsets);
      if (Math.abs(offset) < DAY_MS && (!timestamp || Math.abs(offset) < Math.abs(timestamp.offset))) timestamp = { k, unit, offset };
    }
  }
  const present = frames.filter((f) => f.value[type.k] !== undefined).length;
  return {
    type: type.k,
    payload: payloadKey,
    ...(timestamp ? { timestamp: timestamp.k } : {}),
    unit: timestamp?.unit ?? 'ms',
    why: {
      type: `${type.values.length} distinct text value(s) in ${present} of ${n} messages: ${list(type.values)}`,
      payload: `an object in at least ${Math.round(PRESENT * 100)}% of the messages`,
      timestamp: timestamp
        ? `epoch ${timestamp.unit === 's' ? 'seconds' : timestamp.unit === 'us' ? 'microseconds' : 'milliseconds'}: read so, it is ${num(Math.abs(timestamp.offset))} ms ${timestamp.offset >= 0 ? 'before' : 'after'} the receive time (median)`
        : 'no number field near the receive time in s, ms or us',
    },
  };
}
