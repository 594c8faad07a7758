import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { EventFeed } from './sse-events.js';
import type { ConnectOptions, StreamConnection, StreamEvents, Transport, TransportError, TransportSession } from './types.js';

/**
 * Server-Sent Events: an HTTP/1.1 GET of `text/event-stream`, parsed by
 * eventsource-parser. Each event's `data:` is one message; `id:` is kept
 * for the reconnect's `Last-Event-ID`, `retry:` for its delay, and comment
 * lines (`: keepalive`) are the stream's heartbeat.
 *
 * One socket per connection: a stream never ends to free its socket for
 * another request, so the agents keep none alive and never queue one.
 */
const httpAgent = new HttpAgent({ keepAlive: false, maxSockets: Infinity });
const httpsAgent = new HttpsAgent({ keepAlive: false, maxSockets: Infinity });

/** Cap of the parser's buffer when no message cap is given (a line that never ends must not grow the harness). */
const DEFAULT_MAX_BYTES = 1 << 20;

function error(message: string, code: string, violation?: TransportError['violation']): TransportError {
  const err = new Error(message) as TransportError;
  err.code = code;
  if (violation) err.violation = violation;
  return err;
}

class SseConnection implements StreamConnection {
  private readonly req: ClientRequest;
  private res: IncomingMessage | undefined;
  private feed: EventFeed | undefined;
  private ended = false;
  private closed = false;
  /** A violation ended the connection: nothing more is parsed, and its socket's errors are its own doing. */
  private get closing(): boolean {
    return this.feed?.closing === true;
  }
  /** Only the first error of an attempt that never opened is its failure. */
  private failed = false;
  private readonly closeWaiters: Array<() => void> = [];

  constructor(url: string, options: ConnectOptions, private readonly session: SseSession, private readonly events: StreamEvents) {
    const target = new URL(url);
    const tls = target.protocol === 'https:' || target.protocol === 'wss:';
    const headers: Record<string, string> = { accept: 'text/event-stream', 'cache-control': 'no-cache', ...options.headers };
    if (session.lastEventId !== undefined) headers['last-event-id'] = session.lastEventId;
    const request = tls ? httpsRequest : httpRequest;
    this.req = request({
      protocol: tls ? 'https:' : 'http:',
      hostname: target.hostname.replace(/^\[|\]$/g, ''),
      port: target.port || (tls ? 443 : 80),
      path: `${target.pathname}${target.search}`,
      method: 'GET',
      headers,
      agent: tls ? httpsAgent : httpAgent,
      ...(tls ? { rejectUnauthorized: options.rejectUnauthorized !== false, ...(options.ca ? { ca: options.ca } : {}) } : {}),
    });
    const timeoutMs = options.connectTimeoutMs ?? 10_000;
    const timer = setTimeout(() => this.fail(error('handshake has timed out', 'ETIMEDOUT')), timeoutMs);
    this.req.on('response', (res) => {
      clearTimeout(timer);
      this.onResponse(res, options.maxMessageBytes ?? DEFAULT_MAX_BYTES);
    });
    this.req.on('error', (err: TransportError) => {
      clearTimeout(timer);
      if (this.closed || this.closing || (this.res === undefined && this.failed)) return;
      if (this.res === undefined) this.failed = true;
      this.events.onError(err, this.res !== undefined);
    });
    this.req.on('close', () => {
      clearTimeout(timer);
      this.finish();
    });
    this.req.end();
  }

  private onResponse(res: IncomingMessage, maxBytes: number): void {
    this.res = res;
    const type = String(res.headers['content-type'] ?? '');
    if (res.statusCode !== 200) return this.reject(`Unexpected server response: ${res.statusCode}`, 'SSE_HTTP_STATUS');
    if (!/^text\/event-stream\b/i.test(type)) return this.reject(`the response is ${type || 'untyped'}, not text/event-stream: not an SSE stream`, 'SSE_NOT_EVENT_STREAM');
    const events = this.events;
    const feed = new EventFeed(events, this.session, maxBytes, () => {
      // the stream is no longer one to follow: a violation, and the end of this connection
      events.onError(error(`an event over ${maxBytes} bytes`, 'SSE_ERR_TOO_BIG', 'oversized_frame'), true);
      this.terminate();
    });
    this.feed = feed;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => feed.feed(chunk));
    res.on('end', () => {
      this.ended = true;
    });
    res.on('error', () => undefined);
    events.onOpen();
  }

  /** A response that is no stream: the attempt failed, as an upgrade answered with an HTTP status does. */
  private reject(message: string, code: string): void {
    this.res?.resume();
    const err = error(message, code);
    this.res = undefined;
    this.events.onError(err, false);
    this.closed = true;
    this.req.destroy();
    this.events.onClose({ code: 'refused', reason: message });
    this.wakeClosed();
  }

  private fail(err: TransportError): void {
    if (this.closed || this.failed) return;
    this.failed = true;
    this.events.onError(err, this.res !== undefined);
    this.req.destroy();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.events.onClose(this.ended ? { code: 'end', reason: 'the target ended the stream' } : { code: 'reset', reason: 'the connection was lost' });
    this.wakeClosed();
  }

  private wakeClosed(): void {
    for (const w of this.closeWaiters.splice(0)) w();
  }

  send(): boolean {
    return false;
  }

  terminate(): void {
    this.req.destroy();
  }

  /** HTTP has no close handshake: a client ends a stream by closing its socket. */
  closeGracefully(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.closeWaiters.push(resolve);
      this.req.destroy();
    });
  }

  ping(): Promise<number | undefined> {
    return Promise.resolve(undefined);
  }
}

class SseSession implements TransportSession {
  lastEventId: string | undefined;
  retryMs: number | undefined;
  constructor(private readonly options: ConnectOptions) {}
  get resumes(): boolean {
    return this.lastEventId !== undefined;
  }
  connect(url: string, events: StreamEvents): StreamConnection {
    return new SseConnection(url, this.options, this, events);
  }
}

export const sseTransport: Transport = {
  kind: 'sse',
  clientMessages: false,
  session: (options) => new SseSession(options),
};
