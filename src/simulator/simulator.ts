import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { timestampIn, type ChannelSpec, type TargetProfile } from '../profile/index.js';
import type { AdminTarget } from './admin-api.js';
import type { ClusterLink, ProcessStats } from './process-link.js';
import { presentsToken } from './auth.js';
import { Broadcaster } from './broadcaster.js';
import { channelDataFor, type ChannelData } from './channel-data.js';
import { ChannelTicker } from './channel-ticker.js';
import { formatFaults, parseFaults } from '../source/fault-spec.js';
import { FaultState } from './fault-state.js';
import { encode, sseId } from './frames.js';
import { refuseRaw } from './http-util.js';
import { SimulatorMetrics } from './metrics.js';
import type { ResolvedOptions } from './options.js';
import { keyedHash, stringKey } from './prng.js';
import { Replies } from './replies.js';
import { ResourceFaults } from './resource-faults.js';
import { handleRest } from './rest-routes.js';
import { CLOSE, Sessions } from './sessions.js';
import { SseServer, type Admission } from './sse-server.js';
import { alignedSchedule, indexAt } from './tick-clock.js';
import { Tick, Wire } from './wire.js';

/**
 * One simulator process's worth of stream: an HTTP (or HTTPS) server whose
 * upgrades on the profile's path become stream connections, one ticker per
 * channel feeding the broadcaster, and the REST routes on the same port.
 * It does not listen by itself: the listeners (listeners.ts) of this process,
 * or the cluster's primary, hand it accepted sockets through `accept`.
 */

interface ChannelState {
  readonly spec: ChannelSpec;
  readonly data: ChannelData;
  readonly ticker: ChannelTicker;
  latest: Record<string, unknown>;
}

export type { ClusterLink, ProcessStats } from './process-link.js';

/** Shutdown waits this long for peers to answer the close frame. */
const SHUTDOWN_GRACE_MS = 500;

export class Simulator implements AdminTarget {
  readonly profile: TargetProfile;
  readonly adminToken: string;
  private readonly metrics = new SimulatorMetrics();
  private readonly faultState: FaultState;
  private readonly resources = new ResourceFaults();
  private readonly wire: Wire;
  private readonly broadcaster: Broadcaster;
  private readonly sessions: Sessions;
  private readonly channels: ChannelState[];
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  /** The stream as Server-Sent Events, for an SSE profile. */
  private readonly sse: SseServer | undefined;
  private readonly lateSends = new Set<NodeJS.Timeout>();
  /** Every socket handed over, until it closes: shutdown ends the ones still open. */
  private readonly sockets = new Set<Socket>();
  /** Under `rest-stale`: the snapshot as it was when the fault was set. */
  private frozen: Record<string, unknown> | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly options: ResolvedOptions,
    link?: ClusterLink,
  ) {
    this.profile = options.profile;
    this.adminToken = options.adminToken;
    this.faultState = new FaultState(options.seed);
    this.faultState.replace(parseFaults(options.faults, this.profile));
    this.wire = new Wire(this.profile, this.metrics, this.faultState, options.slowConsumerBytes, (c) => this.sessions.onSlowConsumer(c));
    this.broadcaster = new Broadcaster(this.wire, this.faultState, this.metrics, (tick) => this.sse?.sent(tick));
    this.sessions = new Sessions({
      profile: this.profile,
      seed: options.seed,
      wire: this.wire,
      broadcaster: this.broadcaster,
      replies: new Replies(this.profile),
      faults: this.faultState,
      metrics: this.metrics,
      retained: this.resources.retained,
      seqFirst: (link?.workerIndex ?? 0) + 1,
      seqStride: link?.workers ?? 1,
      payloadAt: (i, index) => this.channels[i].data.payloadAt(index),
    });
    const refuse = (socket: Duplex, status: number, reason: string) => this.refuse(socket, status, reason);
    if (this.profile.transport === 'sse') this.sse = new SseServer({ profile: this.profile, sessions: this.sessions, wire: this.wire, faults: this.faultState, admit: this.admit, refuse });
    const now = Date.now();
    this.channels = this.profile.channels.map((spec, i) => {
      const data = channelDataFor({ channel: spec, noise: keyedHash(options.seed, stringKey(spec.channel)) });
      const ticker = new ChannelTicker(spec.intervalMs, (index, at, skipped) => this.onTick(i, index, at, skipped));
      // The snapshot has every channel from the start, even before its first tick.
      return { spec, data, ticker, latest: data.payloadAt(indexAt(alignedSchedule(spec.intervalMs), now)) };
    });
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxClientFrameBytes,
      perMessageDeflate: false,
      clientTracking: false,
    });
    if (link) {
      // Which process took the connection: tests and benchmarks of a cluster read it.
      const header = `x-simulator-worker: ${link.workerIndex + 1}`;
      this.wss.on('headers', (headers) => headers.push(header));
    }
    const rest = {
      profile: this.profile,
      adminToken: this.adminToken,
      token: options.token,
      admin: link ? this.clusterAdmin(link) : this,
      faultSet: () => this.faultState.set,
      snapshot: () => this.snapshot(),
      connections: () => this.sessions.clients.size,
      metricsText: () => (link ? link.metricsText() : this.metrics.text()),
      metricsContentType: this.metrics.contentType,
      healthData: link ? { worker: link.workerIndex + 1 } : {},
    };
    const onRequest = (req: IncomingMessage, res: import('node:http').ServerResponse) => this.sse?.handle(req, res) || handleRest(req, res, rest);
    this.server = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, onRequest) : createServer(onRequest);
    this.server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
    this.server.on('clientError', (_err, socket) => socket.destroy());
    // A TLS handshake that fails (garbage, a client that rejects the certificate) ends that socket only.
    this.server.on('tlsClientError', (_err: Error, socket: Duplex) => socket.destroy());
  }

  /** Starts the tickers and the faults that act by themselves. */
  start(): void {
    for (const c of this.channels) c.ticker.start();
    this.sse?.start();
    this.applyFaultEffects();
  }

  /** Serves an accepted TCP socket (from this process's listeners or the cluster's primary). */
  accept(socket: Socket): void {
    socket.on('error', () => {});
    if (this.closing) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    this.server.emit('connection', socket);
  }

  faults(): string[] {
    return formatFaults(this.faultState.set);
  }

  /** Replaces every fault; throws LSB_USAGE (and changes nothing) on a bad spec. */
  setFaults(specs: readonly string[]): void {
    const next = parseFaults(specs, this.profile);
    const wasDown = this.faultState.set.socketDown;
    this.faultState.replace(next);
    if (next.socketDown && !wasDown) this.sessions.closeAll(CLOSE.goingAway, 'socket down', 'socket-down');
    this.applyFaultEffects();
  }

  stats(): ProcessStats {
    return {
      ...this.metrics.stats(this.faults()),
      legacyRetained: this.sessions.legacyRegistry.length,
      retainedBytes: this.resources.retained.bytes,
    };
  }

  /** Recent tick send lags in ms, oldest first (for benchmarks). */
  sendLags(): number[] {
    return this.metrics.recentLags();
  }

  /** This process's metrics as prom-client JSON, for a cluster's primary to aggregate. */
  metricsJson(): Promise<unknown[]> {
    return this.metrics.json();
  }

  snapshot(): Record<string, unknown> {
    if (this.frozen) return this.frozen;
    const out: Record<string, unknown> = {};
    for (const c of this.channels) out[c.spec.channel] = c.latest;
    // The data time, named and in the unit of the profile's envelope stamp.
    out[this.profile.envelope.timestampField] = timestampIn(this.profile, Date.now());
    return out;
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    for (const c of this.channels) c.ticker.stop();
    for (const t of this.lateSends) clearTimeout(t);
    this.broadcaster.clear();
    this.sse?.stop();
    this.sessions.stop();
    this.resources.stop();
    this.sessions.closeAll(CLOSE.goingAway, 'simulator shutting down', 'shutdown');
    const deadline = Date.now() + SHUTDOWN_GRACE_MS;
    while (this.sessions.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    for (const client of this.sessions.clients) client.ws.terminate();
    // HTTP keep-alive sockets and half-done handshakes.
    for (const socket of this.sockets) socket.destroy();
    this.sessions.legacyRegistry.length = 0;
    this.wss.close();
  }

  /** The admin API of a worker acts on the whole cluster, through the primary. */
  private clusterAdmin(link: ClusterLink): AdminTarget {
    return {
      faults: () => this.faults(),
      setFaults: (specs) => link.setFaults(specs),
      stats: () => link.stats(),
    };
  }

  /** Drift re-times every ticker; disconnect faults re-arm their timers; resource and REST faults follow. */
  private applyFaultEffects(): void {
    const set = this.faultState.set;
    const drift = set.drift ?? 0;
    for (const c of this.channels) c.ticker.setPeriod(Math.round(c.spec.intervalMs * (1 + drift)));
    this.sessions.faultsChanged();
    this.resources.apply(set.leakMBPerMin, set.cpuShare);
    if (!set.restStale) this.frozen = undefined;
    else this.frozen ??= this.snapshot();
  }

  private onTick(channelIndex: number, index: number, scheduledAt: number, skipped: number): void {
    const channel = this.channels[channelIndex];
    // An overloaded process (its loop blocked past whole periods) sends the
    // latest tick, not a burst of stale ones: its clients see those as lost.
    if (skipped > 0) this.metrics.skipped(channel.spec.messageType, skipped);
    // Channels due at this same instant whose timers have not fired yet.
    const more = this.channels.some((c) => c.ticker.dueAt === scheduledAt);
    if (this.faultState.stalled(channel.spec.channel, Date.now())) {
      this.broadcaster.enqueue(undefined, more);
      return;
    }
    const payload = channel.data.payloadAt(index);
    channel.latest = payload;
    // Stamped with the tick's instant on the wall-clock grid, not the moment
    // the timer woke: every process of a cluster then builds the very same
    // bytes for the same tick (payload and stamp are both pure functions of
    // seed and tick), and a late timer shows as latency, which it is.
    const message = encode(this.profile, channel.spec.messageType, payload, scheduledAt, sseId(scheduledAt, channelIndex));
    const tick = new Tick(channelIndex, index, scheduledAt, message);
    const late = this.faultState.set.latencyMs;
    if (!late) {
      this.broadcaster.enqueue(tick, more);
      return;
    }
    // Stamped on its tick, sent `late` ms later: the envelope timestamp shows the delay.
    this.broadcaster.enqueue(undefined, more);
    const timer = setTimeout(() => {
      this.lateSends.delete(timer);
      this.broadcaster.enqueue(tick, false);
    }, late);
    timer.unref();
    this.lateSends.add(timer);
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Socket errors must never go unhandled, before or after the upgrade.
    socket.on('error', () => {});
    const url = new URL(req.url ?? '/', 'http://simulator');
    // an SSE stream has no upgrade: its path is a GET (sse-server.ts)
    const refusal = this.sse ? ([404, 'path'] as const) : this.admit(req, url);
    if (refusal) return this.refuse(socket, refusal[0], refusal[1]);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.sessions.accept(ws, socket));
  }

  /** Why a connection to the stream is refused, the same for an upgrade and an SSE GET; undefined: admitted. */
  private readonly admit: Admission = (req, url) => {
    const set = this.faultState.set;
    if (this.closing) return [503, 'shutdown'];
    if (url.pathname !== this.profile.path) return [404, 'path'];
    if (this.options.token !== undefined && !presentsToken(req, url, this.options.token)) return [401, 'token'];
    if (set.socketDown) return [503, 'socket-down'];
    if (set.maxConnections !== undefined && this.sessions.clients.size >= set.maxConnections) return [503, 'max-connections'];
    return undefined;
  };

  private refuse(socket: Duplex, status: number, reason: string): void {
    this.metrics.refusedUpgrade(reason);
    refuseRaw(socket, status, reason);
  }
}
