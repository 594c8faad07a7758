import { timestampMs, type TargetProfile } from '../profile/index.js';
import { transportFor, type ConnectOptions, type StreamConnection, type StreamEnd } from '../transport/index.js';
import { classifyConnectError } from './connect-errors.js';
import { streamUrl } from './stream-url.js';
import { wallNow } from './time.js';

/**
 * One connection kept for the protocol probes, over the profile's
 * transport: everything it receives goes into an inbox, and each probe
 * waits on the inbox for the message it expects, with a timeout, instead
 * of sleeping. Keepalive comments (SSE) are kept as their arrival times.
 */

export interface InboxMessage {
  /** Epoch ms received. */
  at: number;
  /** The frame's text (binary frames as `<binary N bytes>`). */
  text: string;
  /** Envelope type, when the frame was a JSON object with one. */
  type?: string;
  /** Envelope timestamp (ms), when present. */
  timestamp?: number;
  payload?: Record<string, unknown>;
}

export interface CloseInfo {
  at: number;
  /** The WebSocket close code, or a word for a stream without codes (`end`, `reset`). */
  code: number | string;
  reason: string;
}

type Waiter = () => void;

export class ProbeConnection {
  readonly inbox: InboxMessage[] = [];
  /** Epoch ms of each keepalive comment (SSE `: ...`). */
  readonly keepalives: number[] = [];
  closed: CloseInfo | undefined;
  private readonly waiters = new Set<Waiter>();
  private conn!: StreamConnection;

  private constructor(private readonly profile: TargetProfile) {}

  /** Opens a connection; rejects with a one-line reason (refused, HTTP 503 on the upgrade, ...). */
  static open(url: string, options: ConnectOptions, profile: TargetProfile, timeoutMs: number): Promise<ProbeConnection> {
    return new Promise((resolve, reject) => {
      const probe = new ProbeConnection(profile);
      let opened = false;
      probe.conn = transportFor(profile.transport).session({ ...options, connectTimeoutMs: timeoutMs }).connect(streamUrl(url, profile, []), {
        onOpen: () => {
          opened = true;
          resolve(probe);
        },
        onMessage: (data, isBinary) => probe.onMessage(data, isBinary),
        onKeepalive: () => {
          probe.keepalives.push(wallNow());
          probe.wake();
        },
        // Errors after the open end in a close, which the inbox records.
        onError: (err) => {
          if (!opened) reject(new Error(classifyConnectError(err).text));
        },
        onClose: (end: StreamEnd) => {
          probe.closed ??= { at: wallNow(), code: end.code, reason: end.reason };
          probe.wake();
        },
      });
    });
  }

  send(text: string): void {
    this.conn.send(text);
  }

  /**
   * The first message from inbox index `from` on that `match` accepts; undefined
   * after `timeoutMs` or once the connection closes. `match` may also look at
   * every message so far (it is called for each new one, in order).
   */
  waitFor(match: (m: InboxMessage) => boolean, timeoutMs: number, from = this.inbox.length): Promise<InboxMessage | undefined> {
    let next = from;
    return this.until(() => {
      while (next < this.inbox.length) {
        const m = this.inbox[next++];
        if (match(m)) return m;
      }
      return undefined;
    }, timeoutMs);
  }

  /** Waits `ms` while watching: resolves early with true when `stop()` says so after a message. */
  watch(ms: number, stop: () => boolean): Promise<boolean> {
    return this.until(() => (stop() ? true : undefined), ms).then((v) => v === true);
  }

  /** Round trip of a protocol-level ping (WebSocket) in ms; undefined without a pong in time. */
  wsPing(timeoutMs: number): Promise<number | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    return this.conn.ping(timeoutMs);
  }

  /**
   * True when the connection is still open `timeoutMs` later, or as soon as
   * a WebSocket ping comes back: a close frame sent before it would have
   * arrived first. A target that never answers pings costs the whole wait,
   * but is not taken for closed (that is keepalive's business).
   */
  async stillOpen(timeoutMs: number): Promise<boolean> {
    if (this.closed) return false;
    await this.wsPing(timeoutMs);
    return !this.closed;
  }

  close(): void {
    // a peer that does not answer the close frame is cut
    void this.conn.closeGracefully(500, 1000, 'probes done');
  }

  /** Resolves with `check()`'s first defined value, or undefined on timeout or close. */
  private until<T>(check: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
    return new Promise((resolve) => {
      const done = (value: T | undefined) => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(value);
      };
      const waiter = () => {
        const v = check();
        if (v !== undefined) done(v);
        else if (this.closed) done(undefined);
      };
      const timer = setTimeout(() => done(check()), Math.max(0, timeoutMs));
      this.waiters.add(waiter);
      waiter();
    });
  }

  /** Resolves with `check()`'s first defined value, or undefined on timeout or close (for probes of their own). */
  waitUntil<T>(check: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
    return this.until(check, timeoutMs);
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  private onMessage(data: Buffer | string, isBinary: boolean): void {
    const m: InboxMessage = { at: wallNow(), text: typeof data === 'string' ? data : isBinary ? `<binary ${data.length} bytes>` : data.toString('utf8') };
    if (!isBinary) {
      try {
        const msg = JSON.parse(m.text) as unknown;
        if (typeof msg === 'object' && msg !== null && !Array.isArray(msg)) {
          const env = this.profile.envelope;
          const o = msg as Record<string, unknown>;
          if (typeof o[env.typeField] === 'string') m.type = o[env.typeField] as string;
          if (typeof o[env.timestampField] === 'number') m.timestamp = timestampMs(this.profile, o[env.timestampField] as number);
          const p = o[env.payloadField];
          if (typeof p === 'object' && p !== null && !Array.isArray(p)) m.payload = p as Record<string, unknown>;
        }
      } catch {
        // not JSON: kept as text; message_types judges frames, not the probes
      }
    }
    this.inbox.push(m);
    this.wake();
  }
}
