import { NO_STALLS, type StallLookup } from '../metrics/harness-stalls.js';
import type { Recorder } from '../metrics/recorder.js';
import type { ChannelSpec, TargetProfile } from '../profile/index.js';
import { TickLedger } from './consistency.js';
import { FrameParser } from './frame-parser.js';
import { compileValidators, type MessageValidator } from './schema.js';

/** Timestamps further than this from the (offset-corrected) client clock are implausible. */
export const TIMESTAMP_SKEW_LIMIT_MS = 5 * 60_000;

/** What every connection's checker shares within one process. */
export interface CheckContext {
  readonly profile: TargetProfile;
  readonly validators: MessageValidator;
  readonly parser: FrameParser;
  readonly recorder: Recorder;
  readonly ledger: TickLedger;
  readonly channelsByType: ReadonlyMap<string, ChannelSpec>;
  /** Server clock minus harness clock (ms); 0 until estimated. */
  clockOffsetMs: number;
  /** Steady phase in epoch ms, for bandwidth. */
  steadyStartMs: number;
  steadyEndMs: number;
  /** The harness's own event-loop stalls in this process, for cadence (checks/cadence.ts, stallCouldExplain). */
  stalls: StallLookup;
}

export function createCheckContext(profile: TargetProfile, recorder: Recorder): CheckContext {
  const validators = compileValidators(profile);
  return {
    profile,
    validators,
    parser: new FrameParser(profile, validators),
    recorder,
    ledger: new TickLedger(),
    channelsByType: new Map(profile.channels.map((c) => [c.messageType, c])),
    clockOffsetMs: 0,
    steadyStartMs: Number.POSITIVE_INFINITY,
    steadyEndMs: Number.POSITIVE_INFINITY,
    stalls: NO_STALLS,
  };
}
