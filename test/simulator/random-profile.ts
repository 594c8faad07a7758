import { parseProfile, type ProfileDocument, type TargetProfile } from '../../src/profile/index.js';
import { mulberry32 } from '../../src/simulator/prng.js';

/**
 * A profile of a random shape, the same for the same `seed`: its own
 * envelope and reply names, 1-3 channels whose payloads mix integer and
 * number ranges (with and without `examples`), enums, consts, patterns,
 * booleans, a nested object and a rising counter, and invariants that can
 * hold together: order comparisons (<=, <, >=, >, `not (a > b)`, joined
 * with `and`) that follow one hidden order of a group of fields sharing a
 * range, bounds against constants inside that range, an equality with a
 * nested field, and `or` and arithmetic that always hold. It goes through
 * parseProfile, so it is a profile a user could write.
 */
export function randomProfile(seed: number): TargetProfile {
  const rng = mulberry32(seed * 7919 + 13);
  const int = (lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
  const pick = <T>(list: readonly T[]): T => list[int(0, list.length - 1)];
  const channels = Array.from({ length: int(1, 3) }, (_, c) => {
    const properties: Record<string, unknown> = {};
    const invariants: string[] = [];
    const integer = rng() < 0.5;
    const lo = int(-50, 50);
    const hi = lo + (integer ? int(20, 1000) : int(1, 1000));
    const group = Array.from({ length: int(2, 4) }, (_, i) => `g${c}_${i}`);
    for (const g of group) {
      properties[g] = { type: integer ? 'integer' : 'number', minimum: lo, maximum: hi, ...(rng() < 0.3 ? { examples: [(lo + hi) / 2] } : {}) };
    }
    // a hidden order of the group: every comparison follows it
    const order = [...group].sort(() => rng() - 0.5);
    const before = (a: string, b: string): boolean => order.indexOf(a) < order.indexOf(b);
    const comparisons: string[] = [];
    for (let k = 0; k < int(1, 4); k++) {
      let [a, b] = [pick(group), pick(group)];
      if (a === b) continue;
      if (!before(a, b)) [a, b] = [b, a];
      const strict = !integer || hi - lo > group.length * 4;
      comparisons.push(pick([`${a} <= ${b}`, `${b} >= ${a}`, `not (${a} > ${b})`, ...(strict ? [`${a} < ${b}`, `${b} > ${a}`] : [])]));
    }
    // inside the range with room for the group on either side of it
    const bound = int(lo + Math.ceil((hi - lo) / 4), hi - Math.ceil((hi - lo) / 4));
    comparisons.push(rng() < 0.5 ? `${group[0]} <= ${bound}` : `${group[0]} >= ${bound}`);
    while (comparisons.length > 0) {
      const n = int(1, Math.min(2, comparisons.length));
      invariants.push(comparisons.splice(0, n).join(' and '));
    }
    properties[`e${c}`] = { enum: ['red', 'green', 'blue', 7] };
    properties[`k${c}`] = { const: pick(['fixed', 3, true]) };
    properties[`p${c}`] = { type: 'string', pattern: pick(['^[a-z]{2,6}$', '^[A-Z]{3}-\\d{2}$', '^(up|down)$', '^x+y?$']) };
    properties[`s${c}`] = { type: 'string', minLength: int(1, 12) };
    properties[`b${c}`] = { type: 'boolean' };
    properties[`n${c}`] = { type: 'object', required: ['depth'], properties: { depth: { type: 'integer', minimum: 0, maximum: 9 }, note: { type: 'string' } } };
    properties[`r${c}`] = { type: 'integer', minimum: 0 };
    properties[`f${c}`] = { type: 'number', examples: [int(-1000, 1000)] };
    properties[`q${c}`] = { type: 'integer', minimum: 0, maximum: 9 };
    if (rng() < 0.5) invariants.push(`${group[0]} <= r${c}`);
    // an equality with a nested field; an `or` and arithmetic that always hold (mended by nothing, broken by nothing)
    if (rng() < 0.5) invariants.push(`q${c} == n${c}.depth`);
    if (rng() < 0.5) invariants.push(`b${c} == true or ${group[0]} >= ${lo}`, `${group[0]} - ${lo} >= 0`);
    return {
      name: `ch${c}`,
      type: `t${c}`,
      interval: pick(['250ms', '500ms', '1s', '3s']),
      autoStart: c === 0,
      rising: [`r${c}`],
      shared: [...group, `e${c}`],
      invariants,
      payload: { type: 'object', required: Object.keys(properties), properties },
    };
  });
  const doc: ProfileDocument = {
    name: `random-${seed}`,
    path: '/random',
    envelope: { type: 'kind', payload: 'body', timestamp: 'at', timestampUnit: pick(['ms', 's', 'us'] as const) },
    welcome: { type: 'hi', idField: 'who' },
    replies: { subscribed: { type: 'ok', channelField: 'what' }, pong: { type: 'pong' }, error: { type: 'bad', textField: 'why' } },
    control: { subscribe: { do: 'add', what: '{channel}' }, unsubscribe: { do: 'drop', what: '{channel}' }, ping: { do: 'ping' } },
    channels,
  };
  const parsed = parseProfile(JSON.stringify(doc));
  if (!parsed.profile) throw new Error(`random profile ${seed} does not parse: ${JSON.stringify(parsed.problems)}`);
  return parsed.profile;
}
