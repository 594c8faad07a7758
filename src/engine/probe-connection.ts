import WebSocket, { type ClientOptions, type RawData } from 'ws';
import { timestampMs, type TargetProfile } from '../profile/index.js';
import { classifyConnectError } from './connect-errors.js';
import { wallNow } from './time.js';

/**
 * One WebSocket connection kept for the protocol probes: everything it
 * receives goes into an inbox, and each probe waits on the inbox for the
 * message it expects, with a timeout, instead of sleeping.
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
  code: number;
  reason: string;
}

type Waiter = () => void;

export class ProbeConnection {
  readonly inbox: InboxMessage[] = [];
  closed: CloseInfo | undefined;
  private readonly waiters = new Set<Waiter>();

  private constructor(
    private readonly ws: WebSocket,
    private readonly profile: TargetProfile,
  ) {
    ws.on('message', (data: RawData, isBinary: boolean) => this.onMessage(data, isBinary));
    ws.on('close', (code: number, reason: Buffer) => {
      this.closed ??= { at: wallNow(), code, reason: reason.toString('utf8') };
      this.wake();
    });
  }

  /** Opens a connection; rejects with a one-line reason (refused, HTTP 503 on the upgrade, ...). */
  static open(url: string, wsOptions: ClientOptions, profile: TargetProfile, timeoutMs: number): Promise<ProbeConnection> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { ...wsOptions, handshakeTimeout: timeoutMs });
      const conn = new ProbeConnection(ws, profile);
      // Errors after the open end in 'close', which the inbox records.
      ws.on('error', (err) => reject(new Error(classifyConnectError(err).text)));
      ws.once('open', () => resolve(conn));
    });
  }

  send(text: string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(text);
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

  /** Round trip of a WebSocket-level ping in ms; undefined without a pong in time. */
  wsPing(timeoutMs: number): Promise<number | undefined> {
    if (this.ws.readyState !== WebSocket.OPEN) return Promise.resolve(undefined);
    const sentAt = wallNow();
    const payload = Buffer.from(`lsb-${Math.floor(sentAt)}`);
    let got: number | undefined;
    const onPong = (data: Buffer) => {
      if (data.equals(payload)) {
        got = wallNow() - sentAt;
        this.wake();
      }
    };
    this.ws.on('pong', onPong);
    this.ws.ping(payload);
    return this.until(() => got, timeoutMs).finally(() => this.ws.off('pong', onPong));
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
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(1000, 'probes done');
    // a peer that does not answer the close frame is cut
    setTimeout(() => this.ws.terminate(), 500).unref();
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

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
    const m: InboxMessage = { at: wallNow(), text: isBinary ? `<binary ${buf.length} bytes>` : buf.toString('utf8') };
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
