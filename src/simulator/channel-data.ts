import type { ChannelSpec } from '../profile/index.js';
import { ordersOf, repairOrders, writePath, type Order } from './invariant-repair.js';
import { compileSchema } from './schema-values.js';
import { Draw, type Noise } from './smooth-noise.js';

/**
 * Where tick payloads come from: the channel's payload schema (see
 * schema-values.ts), with its invariants kept (invariant-repair.ts). A
 * channel's data is a pure function of its noise source and the tick index,
 * so every client, every process and every replay with the same seed sees
 * the same values for the same tick: `shared` fields are equal for all.
 */

export type { Noise } from './smooth-noise.js';

export interface ChannelData {
  payloadAt(index: number): Record<string, unknown>;
}

export interface ChannelDataContext {
  readonly channel: ChannelSpec;
  readonly noise: Noise;
}

/**
 * Fresh draws tried when mending by order is not enough (an invariant with
 * arithmetic, `or`, `not`). A profile whose invariants no draw can meet
 * gets the last one: the harness then reports what the data breaks.
 */
const MAX_DRAWS = 8;

function compile(channel: ChannelSpec) {
  const schema = compileSchema(channel.payloadSchema, { rising: channel.risingFields, intervalMs: channel.intervalMs });
  const orders: Order[] = [];
  for (const inv of channel.invariants) orders.push(...(ordersOf(inv) ?? []));
  return { schema, orders };
}

/** The broadcast server's data: smooth, shared, every invariant kept. */
export function channelDataFor({ channel, noise }: ChannelDataContext): ChannelData {
  const { schema, orders } = compile(channel);
  const keeps = (p: Record<string, unknown>): boolean => channel.invariants.every((inv) => inv.check(p) !== false);
  return {
    payloadAt(index) {
      let payload: Record<string, unknown> = {};
      for (let attempt = 0; attempt < MAX_DRAWS; attempt++) {
        payload = schema.generate(new Draw(noise, index, attempt)) as Record<string, unknown>;
        if (orders.length > 0) repairOrders(payload, orders, schema.numbers);
        if (keeps(payload)) return payload;
      }
      return payload;
    },
  };
}

/** What a rising field is stuck at under `legacy`, when its schema allows it (else its minimum). */
export const LEGACY_STUCK_VALUE = 12345;

/**
 * The Phase 3A server's data (`--fault legacy`), for any profile: values
 * drawn per client and per message (the caller's noise is the client's),
 * rising fields stuck at one value, and invariants not kept: it held the
 * second field of each comparison at a constant near the first one's
 * centre (the real server fixed its peak at 800000 with the current
 * figure drawn around 800000, so the current figure was above the peak in
 * about half its messages). The other constants of its payloads are not
 * reproduced.
 */
export function legacyChannelData({ channel, noise }: ChannelDataContext): ChannelData {
  const { schema, orders } = compile(channel);
  const stuck = channel.risingFields.map((f) => {
    const n = schema.numbers.get(f);
    return [f, n && (LEGACY_STUCK_VALUE < n.lo || LEGACY_STUCK_VALUE > n.hi) ? n.lo : LEGACY_STUCK_VALUE] as const;
  });
  const held: Array<readonly [string, number]> = [];
  for (const { left, right } of orders) {
    if (!('field' in left) || !('field' in right)) continue;
    const from = schema.numbers.get(left.field);
    const to = schema.numbers.get(right.field);
    if (!from || !to || to.rising || held.some(([f]) => f === right.field)) continue;
    const value = Math.min(to.hi, Math.max(to.lo, to.step === 1 ? Math.round(from.centre) : from.centre));
    held.push([right.field, value]);
  }
  return {
    payloadAt(index) {
      const payload = schema.generate(new Draw(noise, index, 0)) as Record<string, unknown>;
      for (const [f, v] of [...stuck, ...held]) writePath(payload, f, v);
      return payload;
    },
  };
}
