import { POLICY_PRESETS, type ReconnectPolicy } from './backoff.js';
import { num, oneOf, share, time, whole, type At, type Kind, type OptionContext } from './option-kinds.js';
import { CHAOS_MODES, type ChaosSettings } from './stages.js';
import { didYouMean } from '../source/suggest.js';

/**
 * The two spec grammars, each parsed once for the flag and the scenario
 * file. A spec is a mapping of parts; the compact text a flag takes is the
 * same mapping written `part=value,...`, and each part is read by the same
 * kind either way:
 *   --chaos cut=10%,mode=drop,at=20s   ==  chaos: { cut: 10%, mode: drop, at: 20s }
 *   --reconnect 1s,x2,10s,5,jitter=0.2 ==  reconnect: { initial: 1s, factor: 2, cap: 10s, attempts: 5, jitter: 0.2 }
 * and a word for the common cases: `--reconnect portal`, `chaos: off`.
 */

type Parts = Record<string, unknown>;

const RECONNECT_FORM = 'initial,xFactor,cap,attempts[,jitter=J] such as 1s,x2,10s,5';
const RECONNECT_PARTS = {
  initial: time(),
  factor: num(1),
  cap: time(),
  attempts: whole(0),
  jitter: num(0, 1),
} satisfies Record<string, Kind<number>>;

/** The compact text as parts, or undefined when it is not of that shape. */
function reconnectText(text: string): Parts | undefined {
  const p = text.split(',').map((s) => s.trim());
  if (p.length < 4 || p.length > 5 || !p[1].startsWith('x') || (p[4] !== undefined && !p[4].startsWith('jitter='))) return undefined;
  return { initial: p[0], factor: p[1].slice(1), cap: p[2], attempts: p[3], ...(p[4] !== undefined ? { jitter: p[4].slice(7) } : {}) };
}

/** `--reconnect` and `reconnect:`: a preset, the compact text, or (in a file) the mapping. */
export const reconnectSpec: Kind<ReconnectPolicy> = {
  check: (p) =>
    p.initialMs >= 0 && p.factor >= 1 && p.maxMs >= p.initialMs && Number.isInteger(p.maxAttempts) && p.maxAttempts >= 0 && p.jitter >= 0 && p.jitter <= 1
      ? undefined
      : 'must have initial >= 0, factor >= 1, cap >= initial, attempts a whole number >= 0, jitter 0..1',
  schema: {
    type: ['string', 'object'],
    properties: Object.fromEntries(Object.entries(RECONNECT_PARTS).map(([k, kind]) => [k, kind.schema])),
    required: ['initial', 'factor', 'cap', 'attempts'],
    additionalProperties: false,
  },
  parse(value, at, ctx) {
    let parts: Parts | undefined;
    if (typeof value === 'string') {
      const preset = POLICY_PRESETS[value.trim()];
      if (preset) return preset;
      parts = reconnectText(value);
      const presets = Object.keys(POLICY_PRESETS);
      if (!parts) return void at.problem(`${at.name} must be a preset (${presets.join(', ')}) or ${RECONNECT_FORM} (got ${JSON.stringify(value)})${didYouMean(value, presets)}`);
    } else if (value && typeof value === 'object') parts = value as Parts;
    else return void at.problem(`${at.name} must be a preset or ${RECONNECT_FORM} (got ${JSON.stringify(value)})`);
    const r = readParts(parts, RECONNECT_PARTS, at, ctx);
    if (!r || r.initial === undefined || r.factor === undefined || r.cap === undefined || r.attempts === undefined) return undefined;
    if (r.cap < r.initial) return void at.part('cap').problem(`${at.part('cap').name} must be at least ${at.part('initial').name}`);
    return { initialMs: r.initial, factor: r.factor, maxMs: r.cap, maxAttempts: r.attempts, jitter: r.jitter ?? 0 };
  },
};

const CHAOS_FORM = 'off or cut=<p>%[,mode=close|drop|both][,at=<time>][,every=<time>]';
const CHAOS_PARTS = {
  cut: share(),
  mode: oneOf(CHAOS_MODES),
  at: time(),
  every: time({ positive: true }),
};

/** `--chaos` and `chaos:`: `off`, the compact text, or (in a file) the mapping; false is off. */
export const chaosSpec: Kind<ChaosSettings | false> = {
  schema: {
    type: ['string', 'object'],
    properties: Object.fromEntries(Object.entries(CHAOS_PARTS).map(([k, kind]) => [k, kind.schema])),
    required: ['cut'],
    additionalProperties: false,
  },
  parse(value, at, ctx) {
    let parts: Parts;
    if (value === 'off' || value === 'none') return false;
    if (typeof value === 'string') {
      parts = {};
      for (const part of value.split(',')) {
        const [k, v] = part.split('=').map((x) => x.trim());
        if (!(k in CHAOS_PARTS)) return void at.problem(`${at.name} has an unknown part ${JSON.stringify(k)}; expected ${CHAOS_FORM} (got ${JSON.stringify(value)})`);
        parts[k] = v ?? '';
      }
      if (parts.cut === undefined) return void at.problem(`${at.name} needs cut=<p>%; expected ${CHAOS_FORM} (got ${JSON.stringify(value)})`);
    } else if (value && typeof value === 'object') parts = value as Parts;
    else return void at.problem(`${at.name} must be ${CHAOS_FORM} (got ${JSON.stringify(value)})`);
    const r = readParts(parts, CHAOS_PARTS, at, ctx);
    if (!r || r.cut === undefined) return undefined;
    return { cutShare: r.cut, mode: r.mode ?? 'both', ...(r.at !== undefined ? { atMs: r.at } : {}), ...(r.every !== undefined ? { everyMs: r.every } : {}) };
  },
};

type Read<K extends Record<string, Kind<unknown>>> = { [P in keyof K]?: K[P] extends Kind<infer T> ? T : never };

/** Each given part read by its kind; undefined when any part has a problem. */
function readParts<K extends Record<string, Kind<unknown>>>(parts: Parts, kinds: K, at: At, ctx: OptionContext): Read<K> | undefined {
  const out: Record<string, unknown> = {};
  let ok = true;
  for (const [key, kind] of Object.entries(kinds)) {
    if (parts[key] === undefined) continue;
    const partAt = at.part(key);
    if (partAt.refused) {
      ok = false;
      continue;
    }
    const v = kind.parse(parts[key], partAt, ctx);
    if (v === undefined) ok = false;
    else out[key] = v;
  }
  return ok ? (out as Read<K>) : undefined;
}
