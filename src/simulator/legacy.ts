import type { TargetProfile } from '../profile/index.js';
import { channelDataFor, type Noise } from './channel-data.js';
import type { Client } from './client.js';
import type { FaultState } from './fault-state.js';
import { encode } from './frames.js';
import { hash32, keyedHash, mulberry32, stringKey } from './prng.js';
import { Tick, type Wire } from './wire.js';

/**
 * The Phase 3A server, reproduced on purpose (`--fault legacy`), for the
 * connections opened while it is set. Each behaviour protocol.md lists:
 *
 * - one timer per channel per client that sleeps a period *after* each send,
 *   plus a few ms of "work", so cadence drifts and CPU grows with clients;
 * - every `subscribe` starts another stream (subscribe twice: every message twice);
 * - `unsubscribe` is accepted and changes nothing;
 * - a connection registry that is never cleaned (LEGACY_RETAINED_BYTES each);
 * - values drawn per client (two clients see different currentTPS), and
 *   rising fields such as blockHeight stuck at 12345.
 */

const LEGACY = stringKey('legacy');
export const LEGACY_RETAINED_BYTES = 4096;
export const LEGACY_FIXED_HEIGHT = 12345;
/** Time a legacy "thread" spends per send on top of its sleep, ms. */
const WORK_MIN_MS = 2;
const WORK_SPREAD_MS = 8;

/** What a connection leaves behind in the legacy registry, forever. */
export interface LegacyRecord {
  readonly id: string;
  readonly openedAt: number;
  readonly scratch: Buffer;
}

export class LegacyStreams {
  private readonly timers = new Set<NodeJS.Timeout>();
  private streams = 0;
  private stopped = false;

  constructor(
    private readonly profile: TargetProfile,
    private readonly seed: number,
    private readonly client: Client,
    private readonly wire: Wire,
    private readonly faults: FaultState,
  ) {}

  /** Starts one more stream of the channel, never replacing one. */
  start(channelIndex: number): void {
    const channel = this.profile.channels[channelIndex];
    const stream = ++this.streams;
    const key = [LEGACY, this.client.seq, channelIndex, stream];
    const noise: Noise = keyedHash(this.seed, ...key);
    const data = channelDataFor(this.profile, { channel, noise, originOf: () => 0 });
    const work = mulberry32(hash32(this.seed, ...key));
    let counter = 0;

    const sleep = (): void => {
      if (this.stopped) return;
      const period = channel.intervalMs * (1 + (this.faults.set.drift ?? 0));
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (this.stopped) return;
        const now = Date.now();
        if (!this.faults.stalled(channel.channel, now)) {
          const payload = data.payloadAt(counter);
          for (const field of channel.risingFields) payload[field] = LEGACY_FIXED_HEIGHT;
          const message = encode(this.profile, channel.messageType, payload, now);
          this.wire.deliver(this.client, new Tick(channelIndex, counter, now, message));
        }
        counter++;
        sleep();
      }, period + WORK_MIN_MS + Math.floor(work() * WORK_SPREAD_MS));
      timer.unref();
      this.timers.add(timer);
    };
    sleep();
  }

  stopAll(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

export function legacyRecord(client: Client): LegacyRecord {
  return { id: client.id, openedAt: client.openedAt, scratch: Buffer.alloc(LEGACY_RETAINED_BYTES, client.seq & 0xff) };
}
