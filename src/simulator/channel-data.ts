import type { ChannelSpec, TargetProfile } from '../profile/index.js';
import { aurigraphV11Data } from './aurigraph-v11-data.js';

/**
 * Where tick payloads come from. A channel's data is a pure function of its
 * noise source and the tick index, so every client, every process and every
 * replay with the same seed sees the same values for the same tick.
 */

/** A number in [0, 1) fixed by a stream id (which field) and a tick index. */
export type Noise = (stream: number, index: number) => number;

export interface ChannelData {
  payloadAt(index: number): Record<string, unknown>;
}

export interface ChannelDataContext {
  readonly channel: ChannelSpec;
  readonly noise: Noise;
  /**
   * Index from which running figures (a peak, an average) are taken. The
   * broadcast simulator uses the start of the UTC day, so processes agree;
   * a legacy client uses its own first message.
   */
  readonly originOf: (index: number) => number;
}

export type ChannelDataFactory = (ctx: ChannelDataContext) => ChannelData;

/** Payload vocabularies by profile name, then by channel name. */
const vocabularies: Readonly<Record<string, Readonly<Record<string, ChannelDataFactory>>>> = {
  'aurigraph-v11': aurigraphV11Data,
};

export function channelDataFor(profile: TargetProfile, ctx: ChannelDataContext): ChannelData {
  const factory = vocabularies[profile.name]?.[ctx.channel.channel] ?? schemaData;
  return factory(ctx);
}

const DAY_MS = 86_400_000;

/** The first index of the UTC day that `index` falls in, on the nominal grid. */
export function dayOrigin(intervalMs: number): (index: number) => number {
  return (index) => Math.ceil((Math.floor((index * intervalMs) / DAY_MS) * DAY_MS) / intervalMs);
}

/**
 * A profile without a vocabulary still gets schema-valid, moving data: an
 * integer per property (rising fields follow the index), a short string, the
 * `const` where there is one.
 */
const schemaData: ChannelDataFactory = ({ channel, noise }) => {
  const properties = (channel.payloadSchema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const names = Object.keys(properties);
  return {
    payloadAt(index) {
      const out: Record<string, unknown> = {};
      names.forEach((name, stream) => {
        const schema = properties[name];
        const min = typeof schema.minimum === 'number' ? schema.minimum : 0;
        if ('const' in schema) out[name] = schema.const;
        else if (channel.risingFields.includes(name)) out[name] = min + Math.max(0, index);
        else if (schema.type === 'integer' || schema.type === 'number') out[name] = min + Math.floor(noise(stream, index) * 1000);
        else if (schema.type === 'boolean') out[name] = noise(stream, index) < 0.5;
        else out[name] = `${name}-${Math.floor(noise(stream, index) * 10)}`;
      });
      return out;
    },
  };
};
