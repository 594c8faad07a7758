import { aurigraphV11 } from './aurigraph-v11.js';
import type { ChannelSpec, TargetProfile } from './types.js';

export type { ChannelSpec, ControlMessages, EnvelopeSpec, JsonSchema, ReplyTypes, TargetProfile } from './types.js';
export { aurigraphV11 };

const profiles: Readonly<Record<string, TargetProfile>> = { [aurigraphV11.name]: aurigraphV11 };

export const DEFAULT_PROFILE = aurigraphV11.name;

export function profileNames(): string[] {
  return Object.keys(profiles);
}

/** The named profile, or undefined when there is none of that name. */
export function findProfile(name: string): TargetProfile | undefined {
  return profiles[name];
}

export function channelByName(profile: TargetProfile, channel: string): ChannelSpec | undefined {
  return profile.channels.find((c) => c.channel === channel);
}

export function channelByType(profile: TargetProfile, messageType: string): ChannelSpec | undefined {
  return profile.channels.find((c) => c.messageType === messageType);
}
