import type { TargetProfile } from '../profile/index.js';
import { ChannelTicker } from './channel-ticker.js';
import type { Client } from './client.js';
import type { FaultState } from './fault-state.js';
import { encode } from './frames.js';
import { stringKey, unitHash } from './prng.js';
import { Tick, type Wire } from './wire.js';

/**
 * `--fault phase=per-client`: a correct server whose clients each tick at
 * their own phase, as the real Phase 3A server does (a thread per client and
 * channel), but with the broadcast's values: tick k of a channel carries the
 * same payload for everyone, sent to each client at k x interval + its
 * phase, and stamped then. Each (connection, channel) has one phase in
 * [0, interval), a pure hash of the seed, so a run under `--seed` repeats.
 *   interval 2000, phase 700: ticks at ...000 700, ...002 700, ... each
 *   stamped when sent; another client with phase 1300 gets the same values
 *   600 ms later
 */

const PHASE = stringKey('phase');

export type PayloadAt = (channelIndex: number, index: number) => Record<string, unknown>;

export class PhasedStreams {
  private readonly tickers = new Map<number, ChannelTicker>();

  constructor(
    private readonly profile: TargetProfile,
    private readonly seed: number,
    private readonly client: Client,
    private readonly wire: Wire,
    private readonly faults: FaultState,
    private readonly payloadAt: PayloadAt,
  ) {}

  /** This connection's phase on a channel, ms. */
  phaseOf(channelIndex: number): number {
    const interval = this.profile.channels[channelIndex].intervalMs;
    return Math.floor(unitHash(this.seed, PHASE, this.client.ordinal, channelIndex) * interval);
  }

  /** Starts the channel's stream for this client; a second start changes nothing. */
  start(channelIndex: number): void {
    if (this.tickers.has(channelIndex)) return;
    const channel = this.profile.channels[channelIndex];
    const ticker = new ChannelTicker(
      channel.intervalMs,
      (index, at) => {
        if (this.faults.stalled(channel.channel, Date.now())) return;
        const message = encode(this.profile, channel.messageType, this.payloadAt(channelIndex, index), at);
        this.wire.deliver(this.client, new Tick(channelIndex, index, at, message));
      },
      this.phaseOf(channelIndex),
    );
    this.tickers.set(channelIndex, ticker);
    ticker.start();
  }

  stop(channelIndex: number): void {
    this.tickers.get(channelIndex)?.stop();
    this.tickers.delete(channelIndex);
  }

  stopAll(): void {
    for (const t of this.tickers.values()) t.stop();
    this.tickers.clear();
  }
}
