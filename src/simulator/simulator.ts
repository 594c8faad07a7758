import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { harnessError } from '../errors.js';
import type { ChannelSpec, TargetProfile } from '../profile/index.js';
import { ADMIN_PREFIX, handleAdmin } from './admin-api.js';
import { Broadcaster } from './broadcaster.js';
import { channelDataFor, dayOrigin, type ChannelData } from './channel-data.js';
import { ChannelTicker } from './channel-ticker.js';
import { formatFaults, parseFaults } from './fault-spec.js';
import { FaultState } from './fault-state.js';
import { encode } from './frames.js';
import { sendJson, sendText } from './http-util.js';
import { SimulatorMetrics, type SimulatorStats } from './metrics.js';
import type { ResolvedOptions } from './options.js';
import { keyedHash, stringKey } from './prng.js';
import { Replies } from './replies.js';
import { CLOSE, Sessions } from './sessions.js';
import { alignedSchedule, indexAt } from './tick-clock.js';
import { Tick, Wire } from './wire.js';

/**
 * One simulator: an HTTP server whose upgrades on the profile's path become
 * stream connections, one ticker per channel feeding the broadcaster, and the
 * REST routes (snapshot, health, metrics, admin) on the same port.
 */

interface ChannelState {
  readonly spec: ChannelSpec;
  readonly data: ChannelData;
  readonly ticker: ChannelTicker;
  latest: Record<string, unknown>;
}

/** Shutdown waits this long for peers to answer the close frame. */
const SHUTDOWN_GRACE_MS = 500;

export class Simulator {
  readonly profile: TargetProfile;
  readonly adminToken: string;
  private readonly metrics = new SimulatorMetrics();
  private readonly faultState: FaultState;
  private readonly wire: Wire;
  private readonly broadcaster: Broadcaster;
  private readonly sessions: Sessions;
  private readonly channels: ChannelState[];
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly lateSends = new Set<NodeJS.Timeout>();
  private closing: Promise<void> | undefined;

  constructor(private readonly options: ResolvedOptions) {
    this.profile = options.profile;
    this.adminToken = options.adminToken;
    this.faultState = new FaultState(options.seed);
    this.faultState.replace(parseFaults(options.faults, this.profile));
    this.wire = new Wire(this.profile, this.metrics, this.faultState, options.slowConsumerBytes, (c) => this.sessions.onSlowConsumer(c));
    this.broadcaster = new Broadcaster(this.wire, this.faultState, this.metrics);
    this.sessions = new Sessions({
      profile: this.profile,
      seed: options.seed,
      wire: this.wire,
      broadcaster: this.broadcaster,
      replies: new Replies(this.profile),
      faults: this.faultState,
      metrics: this.metrics,
    });
    const now = Date.now();
    this.channels = this.profile.channels.map((spec, i) => {
      const data = channelDataFor(this.profile, {
        channel: spec,
        noise: keyedHash(options.seed, stringKey(spec.channel)),
        originOf: dayOrigin(spec.intervalMs),
      });
      const ticker = new ChannelTicker(spec.intervalMs, (index, at) => this.onTick(i, index, at));
      // The snapshot has every channel from the start, even before its first tick.
      return { spec, data, ticker, latest: data.payloadAt(indexAt(alignedSchedule(spec.intervalMs), now)) };
    });
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxClientFrameBytes,
      perMessageDeflate: false,
      clientTracking: false,
    });
    this.server = createServer((req, res) => this.onRequest(req, res));
    this.server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
    this.server.on('clientError', (_err, socket) => socket.destroy());
  }

  async listen(): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', (err: NodeJS.ErrnoException) =>
        reject(harnessError(`cannot listen on ${this.options.host}:${this.options.port}: ${err.code ?? err.message}`, err)),
      );
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.removeAllListeners('error');
        // Later errors are accept() failures such as EMFILE under a flood of
        // connections: transient, and no reason to stop serving the rest.
        this.server.on('error', () => {});
        resolve();
      });
    });
    for (const c of this.channels) c.ticker.start();
    this.applyFaultEffects();
    return this.server.address() as AddressInfo;
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

  stats(): SimulatorStats & { readonly legacyRetained: number } {
    return { ...this.metrics.stats(this.faults()), legacyRetained: this.sessions.legacyRegistry.length };
  }

  /** Recent tick send lags in ms, oldest first (for benchmarks). */
  sendLags(): number[] {
    return this.metrics.recentLags();
  }

  snapshot(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const c of this.channels) out[c.spec.channel] = c.latest;
    out.timestamp = Date.now();
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
    this.sessions.stop();
    const serverClosed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    this.sessions.closeAll(CLOSE.goingAway, 'simulator shutting down', 'shutdown');
    const deadline = Date.now() + SHUTDOWN_GRACE_MS;
    while (this.sessions.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    for (const client of this.sessions.clients) client.ws.terminate();
    this.sessions.legacyRegistry.length = 0;
    this.wss.close();
    await serverClosed;
  }

  /** Drift re-times every ticker; disconnect faults re-arm their timers. */
  private applyFaultEffects(): void {
    const drift = this.faultState.set.drift ?? 0;
    for (const c of this.channels) c.ticker.setPeriod(Math.round(c.spec.intervalMs * (1 + drift)));
    this.sessions.faultsChanged();
  }

  private onTick(channelIndex: number, index: number, scheduledAt: number): void {
    const channel = this.channels[channelIndex];
    const now = Date.now();
    // Channels due at this same instant whose timers have not fired yet.
    const more = this.channels.some((c) => c.ticker.dueAt === scheduledAt);
    if (this.faultState.stalled(channel.spec.channel, now)) {
      this.broadcaster.enqueue(undefined, more);
      return;
    }
    const payload = channel.data.payloadAt(index);
    channel.latest = payload;
    const tick = new Tick(channelIndex, index, scheduledAt, encode(this.profile, channel.spec.messageType, payload, now));
    const late = this.faultState.set.latencyMs;
    if (!late) {
      this.broadcaster.enqueue(tick, more);
      return;
    }
    // Stamped now, sent `late` ms later: the envelope timestamp shows the delay.
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
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    const set = this.faultState.set;
    if (this.closing) return this.refuse(socket, 503, 'shutdown');
    if (path !== this.profile.path) return this.refuse(socket, 404, 'path');
    if (set.socketDown) return this.refuse(socket, 503, 'socket-down');
    if (set.maxConnections !== undefined && this.sessions.clients.size >= set.maxConnections) {
      return this.refuse(socket, 503, 'max-connections');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.sessions.accept(ws, socket));
  }

  private refuse(socket: Duplex, status: number, reason: string): void {
    this.metrics.refusedUpgrade(reason);
    const body = `${STATUS_CODES[status]}: ${reason}\n`;
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nconnection: close\r\ncontent-type: text/plain\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\n${status === 503 ? 'retry-after: 5\r\n' : ''}\r\n${body}`,
    );
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    const fail = (err: unknown): void => {
      if (!res.headersSent) sendJson(res, 500, { error: err instanceof Error ? err.message : String(err) });
      else res.destroy();
    };
    if (path.startsWith(ADMIN_PREFIX)) {
      handleAdmin(req, res, path, this.adminToken, this).catch(fail);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(res, 405, { error: `${req.method} not allowed` }, { allow: 'GET, HEAD' });
    }
    // Browsers polling the fallback from a dev server on another origin may read it.
    const cors = { 'access-control-allow-origin': '*' };
    if (path === this.profile.fallbackPath) return sendJson(res, 200, this.snapshot(), cors);
    if (path === '/q/health') {
      // Quarkus-style: the process is UP while it serves REST; the stream
      // check reports the socket-down fault.
      const stream = this.faultState.set.socketDown ? 'DOWN' : 'UP';
      return sendJson(res, 200, {
        status: 'UP',
        checks: [{ name: 'live-stream', status: stream, data: { connections: this.sessions.clients.size } }],
      }, cors);
    }
    if (path === '/metrics') {
      this.metrics.text().then((text) => sendText(res, 200, this.metrics.contentType, text), fail);
      return;
    }
    sendJson(res, 404, { error: 'not found' });
  }
}
