import type { TargetProfile } from '../profile/index.js';
import { legacyChannelData, type Noise } from './channel-data.js';
import type { Client } from './client.js';
import type { FaultState } from './fault-state.js';
import { encode } from './frames.js';
import { hash32, keyedHash, mulberry32, stringKey } from './prng.js';
import type { Retained } from './resource-faults.js';
import { Tick, type Wire } from './wire.js';

/**
 * The Phase 3A server, reproduced on purpose (`--fault legacy`), for the
 * connections opened while it is set. Each behaviour protocol.md lists:
 *
 * - one timer per channel per client that sleeps a period *after* each send,
 *   plus a few ms of "work", so cadence drifts and CPU grows with clients;
 * - every `subscribe` starts another stream (subscribe twice: every message twice);
 * - `unsubscribe` is accepted and changes nothing;
 * - a connection registry that is never cleaned, and grows with every send
 *   (below);
 * - values drawn per client (two clients see different values of a shared
 *   field), rising fields stuck, invariants broken (channel-data.ts).
 *
 * What the registry keeps, and why. Memory that grows only with connections
 * ever made stays flat in a steady phase (nobody connects), so a 60 s run
 * could not see it; the Phase 3A server also grew *while* streaming, because
 * each per-client thread allocated per send and its session kept the result.
 * Per connection ever made: a 4 KiB session record, plus 64 KiB for each
 * channel thread started (the stack and thread-local state a JVM thread
 * touches). Per send: the two 8 KiB buffers the thread serialised the
 * message through (the char and byte buffers Jackson's BufferRecycler hands
 * out, 8000 B each), kept with the message in the session's send log, which
 * nothing trims. All of it filled, so it is resident, and counted
 * against the process's retention cap (resource-faults.ts); none of it is
 * freed until the simulator closes.
 *
 * Worked example: 10 legacy clients on four channels of 1, 2, 3 and 5 s send
 * 1 + 1/2 + 1/3 + 1/5 = 2.03 messages a second each, so the log grows 10 x 2.03 x 60 x 16 KiB =
 * 19 MiB a minute: far above the 1 MB/min bound, and far enough that the
 * settling of V8's heap after the ramp (which alone can fit -5 MB/min over
 * a first minute) does not hide it. One client on one 1 s channel alone
 * grows ~0.94 MB/min: about the bound, too little for a 60 s run to call.
 */

const LEGACY = stringKey('legacy');
/** The session record of each connection ever made. */
export const LEGACY_RETAINED_BYTES = 4096;
/** What each channel thread keeps once started. */
export const LEGACY_THREAD_BYTES = 64 * 1024;
/** What each send leaves in the session's send log. */
export const LEGACY_SEND_BYTES = 16 * 1024;
/** Time a legacy "thread" spends per send on top of its sleep, ms. */
const WORK_MIN_MS = 2;
const WORK_SPREAD_MS = 8;

/** What a connection leaves behind in the legacy registry, forever. */
export interface LegacyRecord {
  readonly id: string;
  readonly openedAt: number;
  readonly scratch: Buffer | undefined;
  /** One buffer per channel thread started. */
  readonly threads: Buffer[];
  /** One buffer per message sent. */
  readonly sendLog: Buffer[];
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
    private readonly record: LegacyRecord,
    private readonly retained: Retained,
  ) {}

  private keep(list: Buffer[], size: number): void {
    const buffer = this.retained.take(size, this.client.ordinal & 0xff);
    if (buffer) list.push(buffer);
  }

  /** Starts one more stream of the channel, never replacing one. */
  start(channelIndex: number): void {
    const channel = this.profile.channels[channelIndex];
    const stream = ++this.streams;
    const key = [LEGACY, this.client.ordinal, channelIndex, stream];
    const noise: Noise = keyedHash(this.seed, ...key);
    const data = legacyChannelData({ channel, noise });
    const work = mulberry32(hash32(this.seed, ...key));
    let counter = 0;
    this.keep(this.record.threads, LEGACY_THREAD_BYTES);

    const sleep = (): void => {
      if (this.stopped) return;
      const period = channel.intervalMs * (1 + (this.faults.set.drift ?? 0));
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (this.stopped) return;
        const now = Date.now();
        if (!this.faults.stalled(channel.channel, now)) {
          const payload = data.payloadAt(counter);
          const message = encode(this.profile, channel.messageType, payload, now);
          this.wire.deliver(this.client, new Tick(channelIndex, counter, now, message));
          this.keep(this.record.sendLog, LEGACY_SEND_BYTES);
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

export function legacyRecord(client: Client, retained: Retained): LegacyRecord {
  return {
    id: client.id,
    openedAt: client.openedAt,
    scratch: retained.take(LEGACY_RETAINED_BYTES, client.ordinal & 0xff),
    threads: [],
    sendLog: [],
  };
}
