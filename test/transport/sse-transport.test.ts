import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, test } from 'vitest';
import { classifyConnectError } from '../../src/engine/connect-errors.js';
import { transportFor, type ConnectOptions, type StreamEnd, type TransportError } from '../../src/transport/index.js';
import { makeCerts } from '../hardening/certs.js';

/**
 * The SSE transport on its own, against node:http servers: what a client
 * sends (headers, Last-Event-ID), what it hands on (messages with their
 * bytes, ids, retry, comments), and how an open fails (status, content
 * type, TLS), each in plain words.
 */
const sse = transportFor('sse');
const closers: Array<() => void> = [];
const certs = makeCerts();
afterAll(() => {
  for (const c of closers) c();
  certs.remove();
});

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function serve(handler: Handler, tls = false): Promise<string> {
  const server = tls ? createTlsServer({ cert: certs.good.cert, key: certs.good.key }, handler) : createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}/s`;
}

interface Seen {
  opened: boolean;
  messages: Array<{ data: string; bytes: number; event?: string }>;
  keepalives: number;
  error?: TransportError;
  end?: StreamEnd;
}

/** Connects once and resolves at the close (or after `untilMessages`, closing it then). */
function connectOnce(session: ReturnType<typeof sse.session>, url: string, untilMessages = Infinity): Promise<Seen> {
  const seen: Seen = { opened: false, messages: [], keepalives: 0 };
  return new Promise((resolve) => {
    const conn = session.connect(url, {
      onOpen: () => (seen.opened = true),
      onMessage: (data, _binary, bytes, event) => {
        seen.messages.push({ data: String(data), bytes, ...(event ? { event } : {}) });
        if (seen.messages.length >= untilMessages) conn.terminate();
      },
      onKeepalive: () => (seen.keepalives += 1),
      onError: (err) => (seen.error ??= err),
      onClose: (end) => {
        seen.end = end;
        resolve(seen);
      },
    });
  });
}

describe('the SSE transport', () => {
  test('sends Accept, the extra headers and, on the next connect, Last-Event-ID; hands on events, retry and comments', async () => {
    const requests: IncomingMessage['headers'][] = [];
    const url = await serve((req, res) => {
      requests.push(req.headers);
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      res.write('retry: 700\n\n: hello\n\n');
      res.write('id: 7\nevent: a\ndata: {"x":\n');
      res.end('data: 1}\n\n');
    });
    const session = sse.session({ headers: { authorization: 'Bearer t0ken' } } satisfies ConnectOptions);
    expect(session.resumes).toBe(false);
    const first = await connectOnce(session, url);
    expect(first.opened).toBe(true);
    expect(first.messages).toEqual([{ data: '{"x":\n1}', bytes: expect.any(Number), event: 'a' }]);
    expect(first.keepalives).toBe(1);
    expect(first.end?.code).toBe('end');
    expect(session.retryMs).toBe(700);
    expect(session.resumes).toBe(true);
    await connectOnce(session, url);
    expect(requests[0].accept).toBe('text/event-stream');
    expect(requests[0].authorization).toBe('Bearer t0ken');
    expect(requests[0]['last-event-id']).toBeUndefined();
    expect(requests[1]['last-event-id']).toBe('7');
  });

  test('a status other than 200, or another content type, is a failed open in plain words', async () => {
    const missing = await serve((_req, res) => res.writeHead(404).end('no'));
    const page = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>'));
    const a = await connectOnce(sse.session({}), missing);
    expect(a.opened).toBe(false);
    expect(classifyConnectError(a.error).kind).toBe('http_404');
    const b = await connectOnce(sse.session({}), page);
    expect(b.opened).toBe(false);
    expect(b.error?.message).toContain('not text/event-stream');
  });

  test('an event over the cap is an oversized_frame violation and ends the connection', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${'y'.repeat(5000)}\n\n`);
    });
    const seen = await connectOnce(sse.session({ maxMessageBytes: 1000 }), url);
    expect(seen.opened).toBe(true);
    expect(seen.error?.violation).toBe('oversized_frame');
    expect(seen.messages).toEqual([]);
  });

  test('https: trusted with --ca, refused without it in plain words, accepted with --insecure', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {}\n\n');
    }, true);
    const trusted = await connectOnce(sse.session({ ca: certs.ca.cert }), url, 1);
    expect(trusted.messages).toHaveLength(1);
    const refused = await connectOnce(sse.session({}), url);
    expect(refused.opened).toBe(false);
    expect(classifyConnectError(refused.error).kind).toBe('tls_untrusted');
    const insecure = await connectOnce(sse.session({ rejectUnauthorized: false }), url.replace('https:', 'wss:'), 1);
    expect(insecure.messages).toHaveLength(1);
  });
});
