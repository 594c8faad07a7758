import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TargetProfile } from '../profile/index.js';
import type { Client, Peer } from './client.js';
import type { FaultState } from './fault-state.js';
import type { Sessions } from './sessions.js';
import type { Tick, Wire } from './wire.js';

/**
 * The stream as Server-Sent Events, for a profile with `transport: sse`: a
 * GET of the profile's path answers `text/event-stream` and becomes a
 * connection of the same sessions, broadcaster and faults as a WebSocket
 * one; its frames are events (frames.ts). What SSE adds:
 * - `retry:` first, when the profile says how long a client should wait;
 * - channels chosen in the URL (`sse.channelsParam`), all of them without it;
 * - a resume: a request with `Last-Event-ID` gets the channel events sent
 *   after that id that are still in the history (HISTORY_MS), then the live
 *   stream; the faults `resume=skip` and `resume=ignore` break that on purpose;
 * - heartbeat comments (`: keepalive`) every `sse.heartbeat` to every stream.
 * The response is written on the socket itself, as the upgrade's is, so the
 * broadcast writes one shared Buffer per client here too: `connection:
 * close` and no length, so the body is simply everything until the close.
 */

/** How long sent events stay available for a resume. */
const HISTORY_MS = 60_000;
const HISTORY_MAX = 4096;
const HEAD = 'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\nx-accel-buffering: no\r\n\r\n';
const HEARTBEAT = Buffer.from(': keepalive\n\n');

/** Why a stream request is refused (the same reasons as an upgrade), or undefined. */
export type Admission = (req: IncomingMessage, url: URL) => [status: number, reason: string] | undefined;

export interface SseDeps {
  readonly profile: TargetProfile;
  readonly sessions: Sessions;
  readonly wire: Wire;
  readonly faults: FaultState;
  readonly admit: Admission;
  readonly refuse: (socket: Duplex, status: number, reason: string) => void;
}

/** An SSE stream's socket as the sessions close it: a server-side end, or destroyed. */
class SsePeer extends EventEmitter implements Peer {
  constructor(private readonly socket: Duplex) {
    super();
    socket.once('close', () => this.emit('close'));
  }
  close(): void {
    this.socket.end();
  }
  terminate(): void {
    this.socket.destroy();
  }
}

export class SseServer {
  private readonly history: Tick[] = [];
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly deps: SseDeps) {}

  start(): void {
    const every = this.deps.profile.sse?.heartbeatMs;
    if (every === undefined) return;
    this.heartbeat = setInterval(() => {
      for (const client of this.deps.sessions.clients) this.deps.wire.write(client, HEARTBEAT);
    }, every);
    this.heartbeat.unref();
  }

  stop(): void {
    clearInterval(this.heartbeat);
    this.history.length = 0;
  }

  /** A tick went out to the stream: kept for the resumes. */
  sent(tick: Tick): void {
    const h = this.history;
    h.push(tick);
    const oldest = tick.scheduledAt - HISTORY_MS;
    let drop = 0;
    while (drop < h.length && (h.length - drop > HISTORY_MAX || h[drop].scheduledAt < oldest)) drop++;
    if (drop > 0) h.splice(0, drop);
  }

  /** Serves the request when it is for the stream; false leaves it to the REST routes. */
  handle(req: IncomingMessage, _res: ServerResponse): boolean {
    const { profile, sessions, faults } = this.deps;
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (req.method !== 'GET' || url.pathname !== profile.path) return false;
    const socket = req.socket;
    const refusal = this.deps.admit(req, url);
    if (refusal) {
      this.deps.refuse(socket, refusal[0], refusal[1]);
      return true;
    }
    socket.setNoDelay(true);
    const retry = profile.sse?.retryMs;
    socket.write(retry === undefined ? HEAD : `${HEAD}retry: ${retry}\n\n`);
    const lastId = req.headers['last-event-id'];
    const resume = typeof lastId === 'string' && lastId !== '' ? lastId : undefined;
    const mode = faults.set.resume;
    sessions.accept(new SsePeer(socket), socket, {
      mask: this.maskOf(url),
      replay: resume === undefined ? undefined : (client) => {
        if (mode === 'skip') client.skipNext = true;
        if (mode !== 'ignore') this.replay(client, resume);
      },
    });
    return true;
  }

  /** The channels the URL names (`?<channelsParam>=a,b`); every channel without the parameter. */
  private maskOf(url: URL): number {
    const { profile } = this.deps;
    const param = profile.sse?.channelsParam;
    const all = (1 << profile.channels.length) - 1;
    const asked = param === undefined ? null : url.searchParams.get(param);
    if (asked === null) return all;
    const names = new Set(asked.split(',').map((s) => s.trim()));
    return profile.channels.reduce((m, c, i) => (names.has(c.channel) || c.autoStart ? m | (1 << i) : m), 0);
  }

  /** The client's channel events after `lastId`, as sent (the per-message faults apply to them again). */
  private replay(client: Client, lastId: string): void {
    const h = this.history;
    let from = -1;
    for (let i = h.length - 1; i >= 0; i--) {
      if (h[i].message.id === lastId) {
        from = i + 1;
        break;
      }
    }
    if (from < 0) {
      // an id no longer in the history (or of another process's tick): whatever came after its instant
      const at = Number(/^(\d+)-\d+$/.exec(lastId)?.[1]);
      if (!Number.isFinite(at)) return;
      from = h.findIndex((t) => t.scheduledAt > at);
      if (from < 0) return;
    }
    for (let i = from; i < h.length; i++) if ((client.mask >>> h[i].channelIndex) & 1) this.deps.wire.deliver(client, h[i]);
  }
}
