import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { RawData } from 'ws';
import type { TargetProfile } from '../profile/index.js';
import type { Broadcaster } from './broadcaster.js';
import { ChannelTicker } from './channel-ticker.js';
import type { Client, Peer } from './client.js';
import { controlReader, type ControlReader } from './control.js';
import type { FaultState } from './fault-state.js';
import { LegacyStreams, legacyRecord, type LegacyRecord } from './legacy.js';
import type { SimulatorMetrics } from './metrics.js';
import type { Replies } from './replies.js';
import type { Retained } from './resource-faults.js';
import type { Wire } from './wire.js';
import { encode, sseId } from './frames.js';
import { PhasedStreams, type PayloadAt } from './phased.js';
import { snapshotTick } from './snapshot-tick.js';

/**
 * The life of each connection: welcome, control messages, subscriptions,
 * and every close the server starts (faults, slow consumers, floods, shutdown).
 */

/** Close codes the simulator sends, and why. */
export const CLOSE = {
  /** Policy violation: a slow consumer or a flood of client messages. */
  policy: 1008,
  /** Going away: the socket went down (fault) or the simulator shuts down. */
  goingAway: 1001,
} as const;

/** A peer that does not answer a close frame within this is cut. */
const CLOSE_GRACE_MS = 1000;
/** Client messages allowed per second, and the burst above that. */
const MESSAGE_RATE = 100;
const MESSAGE_BURST = 200;

export interface SessionDeps {
  readonly profile: TargetProfile;
  readonly seed: number;
  readonly wire: Wire;
  readonly broadcaster: Broadcaster;
  readonly replies: Replies;
  readonly faults: FaultState;
  readonly metrics: SimulatorMetrics;
  /** Memory kept on purpose (the legacy registry counts against its cap). */
  readonly retained: Retained;
  /**
   * Connection ordinals are first, first + stride, ...: worker i of n
   * numbers its connections i+1, i+1+n, ..., so fault dice never repeat
   * across the processes of one cluster.
   */
  readonly seqFirst: number;
  readonly seqStride: number;
  /** A channel's data at a tick (the `snapshot` and `phase=per-client` faults). */
  readonly payloadAt: PayloadAt;
}

export class Sessions {
  readonly clients = new Set<Client>();
  /** The legacy registry: filled by legacy connections, never cleaned while running. */
  readonly legacyRegistry: LegacyRecord[] = [];
  private readonly legacy = new Map<Client, LegacyStreams>();
  private readonly phased = new Map<Client, PhasedStreams>();
  /** `retain=<size>`: what each connection opened under it left behind, never freed while running. */
  private readonly retainedPerConnection: Buffer[] = [];
  private readonly read: ControlReader;
  private readonly autoMask: number;
  private lastOrdinal: number;
  private sweeper: ChannelTicker | undefined;

  constructor(private readonly deps: SessionDeps) {
    this.read = controlReader(deps.profile);
    this.autoMask = deps.profile.channels.reduce((m, c, i) => (c.autoStart ? m | (1 << i) : m), 0);
    this.lastOrdinal = deps.seqFirst - deps.seqStride;
  }

  /**
   * A new connection. `mask`: the channels it streams, when its request chose
   * them (an SSE URL); `replay`: what it is owed before the live stream (an
   * SSE resume), written after the welcome and before the next tick.
   */
  accept(ws: Peer, socket: Duplex, opened: { mask?: number; replay?: (client: Client) => void } = {}): void {
    const { wire, replies, faults, metrics, broadcaster } = this.deps;
    const now = Date.now();
    const client: Client = {
      ordinal: (this.lastOrdinal += this.deps.seqStride),
      id: randomUUID(),
      ws,
      socket,
      openedAt: now,
      mask: opened.mask ?? this.autoMask,
      closing: false,
      legacy: faults.set.legacy,
      tokens: MESSAGE_BURST,
      tokensAt: now,
      ageTimer: undefined,
      graceTimer: undefined,
    };
    this.clients.add(client);
    metrics.opened();
    const keep = faults.set.retainBytes;
    const kept = keep ? this.deps.retained.take(keep, (client.ordinal & 0xff) | 1) : undefined;
    if (kept) this.retainedPerConnection.push(kept);
    // ws reports protocol errors (bad frames, oversized messages) as 'error'
    // and then closes the connection itself: nothing to add but a listener.
    ws.on('error', () => {});
    ws.on('close', () => this.forget(client));
    ws.on('message', (data, isBinary) => this.onMessage(client, data, isBinary));

    wire.reply(client, replies.welcome(client.id, now));
    opened.replay?.(client);
    const streams = (c: unknown, i: number) => ((client.mask >>> i) & 1) === 1;
    if (client.legacy) {
      const record = legacyRecord(client, this.deps.retained);
      this.legacyRegistry.push(record);
      const legacyStreams = new LegacyStreams(this.deps.profile, this.deps.seed, client, wire, faults, record, this.deps.retained);
      this.legacy.set(client, legacyStreams);
      this.deps.profile.channels.forEach((c, i) => streams(c, i) && legacyStreams.start(i));
    } else if (faults.set.perClientPhase) {
      const phasedStreams = new PhasedStreams(this.deps.profile, this.deps.seed, client, wire, faults, this.deps.payloadAt);
      this.phased.set(client, phasedStreams);
      this.deps.profile.channels.forEach((c, i) => streams(c, i) && phasedStreams.start(i));
    } else {
      broadcaster.add(client);
    }
    if (!client.legacy) this.deps.profile.channels.forEach((c, i) => streams(c, i) && this.sendSnapshot(client, i, now));
    this.armAge(client, now);
  }

  /** The server closes a connection with a code; `why` labels the count. */
  serverClose(client: Client, code: number, reason: string, why: string): void {
    if (client.closing) return;
    client.closing = true;
    this.deps.metrics.disconnect(why);
    this.detach(client);
    try {
      client.ws.close(code, reason);
    } catch {
      client.ws.terminate();
    }
    client.graceTimer = setTimeout(() => client.ws.terminate(), CLOSE_GRACE_MS);
    client.graceTimer.unref();
  }

  closeAll(code: number, reason: string, why: string): void {
    for (const client of this.clients) this.serverClose(client, code, reason, why);
  }

  onSlowConsumer = (client: Client): void => {
    this.deps.metrics.slowConsumer();
    this.serverClose(client, CLOSE.policy, 'slow consumer', 'slow-consumer');
  };

  /** Re-reads the disconnect fault: per-connection age timers, or the per-second sweep. */
  faultsChanged(): void {
    const now = Date.now();
    for (const client of this.clients) this.armAge(client, now);
    const rate = this.deps.faults.set.disconnect?.kind === 'rate';
    if (rate && !this.sweeper) {
      this.sweeper = new ChannelTicker(1000, (second) => this.sweep(second));
      this.sweeper.start();
    } else if (!rate && this.sweeper) {
      this.sweeper.stop();
      this.sweeper = undefined;
    }
  }

  stop(): void {
    this.sweeper?.stop();
    this.sweeper = undefined;
  }

  private sweep(second: number): void {
    const d = this.deps.faults.set.disconnect;
    if (!d) return;
    for (const client of this.clients) {
      if (this.deps.faults.disconnectNow(client.ordinal, second)) this.serverClose(client, d.code, 'fault: disconnect', 'fault');
    }
  }

  private armAge(client: Client, now: number): void {
    clearTimeout(client.ageTimer);
    client.ageTimer = undefined;
    const d = this.deps.faults.set.disconnect;
    if (d?.kind !== 'age' || client.closing) return;
    const wait = Math.max(0, client.openedAt + d.afterMs - now);
    client.ageTimer = setTimeout(() => this.serverClose(client, d.code, 'fault: disconnect', 'fault'), wait);
    client.ageTimer.unref();
  }

  /** Stops everything that writes to the client. */
  private detach(client: Client): void {
    this.deps.broadcaster.remove(client);
    this.legacy.get(client)?.stopAll();
    this.legacy.delete(client);
    this.phased.get(client)?.stopAll();
    this.phased.delete(client);
    clearTimeout(client.ageTimer);
  }

  private forget(client: Client): void {
    if (!this.clients.delete(client)) return;
    client.closing = true;
    this.detach(client);
    clearTimeout(client.graceTimer);
    this.deps.metrics.closed();
  }

  /**
   * Under `snapshot`: the channel's latest data at once (snapshot-tick.ts),
   * for a subscribe that adds the channel and for a self-starting channel
   * right after the welcome.
   */
  private sendSnapshot(client: Client, channelIndex: number, now: number): void {
    if (!this.deps.faults.set.snapshot) return;
    const { profile, wire } = this.deps;
    const channel = profile.channels[channelIndex];
    const tick = snapshotTick(channel.intervalMs, now);
    wire.reply(client, encode(profile, channel.messageType, this.deps.payloadAt(channelIndex, tick.index), tick.at, sseId(tick.at, channelIndex)));
  }

  /** Token bucket: MESSAGE_RATE per second, bursts up to MESSAGE_BURST. */
  private allow(client: Client, now: number): boolean {
    client.tokens = Math.min(MESSAGE_BURST, client.tokens + ((now - client.tokensAt) * MESSAGE_RATE) / 1000);
    client.tokensAt = now;
    if (client.tokens < 1) return false;
    client.tokens -= 1;
    return true;
  }

  private onMessage(client: Client, data: RawData, isBinary: boolean): void {
    if (client.closing) return;
    const now = Date.now();
    if (!this.allow(client, now)) {
      this.serverClose(client, CLOSE.policy, 'message rate exceeded', 'flood');
      return;
    }
    const { wire, replies, broadcaster, profile } = this.deps;
    const text = isBinary ? '' : Array.isArray(data) ? Buffer.concat(data).toString() : Buffer.from(data as Buffer).toString();
    const msg = this.read(text);
    switch (msg.kind) {
      case 'invalid':
        return wire.reply(client, replies.error('Invalid message format', now));
      case 'unknown':
        return wire.reply(client, replies.error(`Unknown message type: ${msg.type}`, now));
      case 'ping':
        return wire.reply(client, replies.pong(now));
      case 'subscribe':
      case 'unsubscribe': {
        if (msg.channel === undefined) return wire.reply(client, replies.error('Channel not specified', now));
        const index = profile.channels.findIndex((c) => c.channel === msg.channel);
        if (index < 0 && msg.kind === 'subscribe' && this.deps.faults.set.confirmUnknown) return wire.reply(client, replies.subscribed(msg.channel, now));
        if (index < 0) return wire.reply(client, replies.error(`Unknown channel: ${msg.channel}`, now));
        const legacy = this.legacy.get(client);
        const phased = this.phased.get(client);
        const bit = 1 << index;
        if (msg.kind === 'subscribe') {
          // Confirm first: the channel's next tick must not overtake its confirmation.
          wire.reply(client, replies.subscribed(msg.channel, now));
          if (legacy) return legacy.start(index);
          if (!(client.mask & bit)) this.sendSnapshot(client, index, now);
          if (phased) {
            client.mask |= bit;
            phased.start(index);
          } else broadcaster.setMask(client, client.mask | bit);
        } else if (phased) {
          client.mask &= ~bit;
          phased.stop(index);
        } else if (!legacy) {
          // protocol.md defines no reply to unsubscribe: the stream just stops.
          broadcaster.setMask(client, client.mask & ~bit);
        }
        return;
      }
    }
  }
}
