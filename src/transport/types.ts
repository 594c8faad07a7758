/**
 * The seam between the engine and a wire protocol. The engine opens a
 * connection, gets every message as its text (or bytes) with the bytes it
 * took on the wire, and closes it; it never sees a WebSocket frame or an
 * HTTP response. Each protocol is one module beside this one, and a
 * recorder, a probe or anything else that wants a stream's messages can
 * open one with `transportFor(kind).session(options).connect(url, events)`.
 */

export type TransportKind = 'websocket' | 'sse';

/** How to reach the target, the same for every protocol; every field optional. */
export interface ConnectOptions {
  /** Extra request headers (the upgrade's, or the GET's). Never reported. */
  headers?: Record<string, string>;
  /** TCP + TLS + upgrade (or response headers) within this many ms. */
  connectTimeoutMs?: number;
  /** false accepts any TLS certificate (--insecure). */
  rejectUnauthorized?: boolean;
  /** PEM CA to trust for TLS (--ca). */
  ca?: string | Buffer;
  /** The largest message accepted; a larger one ends the connection as a violation. */
  maxMessageBytes?: number;
  /** The checks validate UTF-8 once per distinct message (checks/frame-parser.ts): the transport need not. */
  skipUtf8Validation?: boolean;
}

/** How a connection ended, in the protocol's own terms, for a report line. */
export interface StreamEnd {
  /** The WebSocket close code, or a word for a stream without codes (`end`, `reset`). */
  code: number | string;
  reason: string;
}

/** A violation of the protocol itself, after which the transport ends the connection. */
export type ProtocolViolation = 'oversized_frame' | 'protocol_error';

export type TransportError = Error & { code?: string; violation?: ProtocolViolation };

/**
 * What a connection tells its owner, one method each: a plain object of
 * methods, called directly on the hot path (no event emitter in between).
 */
export interface StreamEvents {
  onOpen(): void;
  /**
   * One message. `data` is a Buffer for a WebSocket frame, the event's text
   * for Server-Sent Events; `wireBytes` what it took on the wire (framing
   * included); `event` the SSE `event:` field, when the stream sent one.
   */
  onMessage(data: Buffer | string, isBinary: boolean, wireBytes: number, event: string | undefined): void;
  /** A protocol-level keepalive arrived (an SSE comment line); WebSocket pongs go to `ping`. */
  onKeepalive?(wireBytes: number): void;
  /** Before the open: the attempt failed. After: a socket error or a protocol violation (`violation` set). */
  onError(err: TransportError, opened: boolean): void;
  /** Once, after the open or a failed attempt alike. */
  onClose(end: StreamEnd): void;
}

export interface StreamConnection {
  /** Sends a client message; false when the protocol has none (SSE) or the connection is not open. */
  send(text: string): boolean;
  /** Cuts the connection at once (no close handshake). */
  terminate(): void;
  /** Closes it as a page does (close frame where there is one), destroying it after `timeoutMs`; resolves once closed. */
  closeGracefully(timeoutMs: number, code: number, reason: string): Promise<void>;
  /** A protocol-level ping's round trip in ms; undefined without a pong in time, or when the protocol has none. */
  ping(timeoutMs: number): Promise<number | undefined>;
}

/**
 * One client's string of connections to one target: what a reconnect
 * carries from the last connection (the SSE `Last-Event-ID`, the server's
 * `retry:`) lives here, so each connect resumes where the last one stopped.
 */
export interface TransportSession {
  connect(url: string, events: StreamEvents): StreamConnection;
  /** The reconnect delay the server asked for (SSE `retry:`), once it has. */
  readonly retryMs: number | undefined;
  /** The next connect asks the server to resume (SSE with an event id seen): loss across the gap is the server's. */
  readonly resumes: boolean;
}

export interface Transport {
  readonly kind: TransportKind;
  /** Whether a client can send messages (subscribe, ping) on this protocol. */
  readonly clientMessages: boolean;
  session(options: ConnectOptions): TransportSession;
}
