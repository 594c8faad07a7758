import { transportFor, type ConnectOptions, type StreamConnection, type Transport, type TransportSession } from '../transport/index.js';
import type { Received, RecordOptions, Recording, Sent, StreamRecorder } from './recording.js';

/**
 * Watches a stream through the harness's own transport (WebSocket or
 * Server-Sent Events, src/transport/): a few connections opened together
 * (with the run's headers and TLS options), each sending the `--send`
 * messages after it opens, spaced apart so that what each one started can
 * be told apart, and keeping every message until the time is up. Beside
 * them, one probe connection per send sends that one alone: a stream that
 * starts on it was started by that send, however slow its first tick. A
 * protocol without client messages (SSE) sends nothing: its channels are
 * chosen by the URL, and the URL probes (one connection per other choice
 * of channels in it, url-channels.ts) tell which name is which. The
 * server's `retry:` and the keepalives (SSE comment lines) are kept too.
 */

/** Default space between two `--send` messages on a connection. */
export const SEND_GAP_MS = 400;

export function streamRecorder(transport: Transport, connect: ConnectOptions): StreamRecorder {
  return (options) => record(transport, connect, options);
}

/** The WebSocket recorder, the common case. */
export function webSocketRecorder(connect: ConnectOptions): StreamRecorder {
  return streamRecorder(transportFor('websocket'), connect);
}

function record(transport: Transport, connect: ConnectOptions, o: RecordOptions): Promise<Recording> {
  const received: Received[] = [];
  const sent: Sent[] = [];
  const keepalives: { conn: number; at: number }[] = [];
  const send = transport.clientMessages ? o.send : [];
  // channels are chosen in the URL only where a client cannot subscribe by message
  const probeUrls = transport.clientMessages ? [] : (o.probeUrls ?? []);
  const probeOf: (number | undefined)[] = [...Array.from({ length: o.clients }, () => undefined), ...(o.probes === false ? [] : send.map((_, i) => i))];
  const urlProbeOf: (number | undefined)[] = [...probeOf.map(() => undefined), ...probeUrls.map((_, i) => i)];
  probeOf.push(...probeUrls.map(() => undefined));
  const openedAt: (number | undefined)[] = probeOf.map(() => undefined);
  const failures = new Set<string>();
  const connections: StreamConnection[] = [];
  const sessions: TransportSession[] = [];
  const timers: NodeJS.Timeout[] = [];
  const startedAt = Date.now();
  const gap = o.sendGapMs ?? SEND_GAP_MS;
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      o.signal?.removeEventListener('abort', finish);
      for (const c of connections) c.terminate();
      const retryMs = sessions.map((x) => x.retryMs).find((r) => r !== undefined);
      resolve({
        clients: o.clients, openedAt, probeOf, received, sent, startedAt, endedAt: Date.now(), failures: [...failures],
        transport: transport.kind,
        ...(retryMs !== undefined ? { retryMs } : {}),
        ...(keepalives.length ? { keepalives } : {}),
        ...(probeUrls.length ? { urlProbeOf } : {}),
      });
    };
    timers.push(setTimeout(finish, o.durationMs));
    o.signal?.addEventListener('abort', finish);
    for (let conn = 0; conn < probeOf.length; conn++) {
      let open = false;
      const urlProbe = urlProbeOf[conn];
      const session = transport.session(connect);
      sessions.push(session);
      const connection: StreamConnection = session.connect(urlProbe === undefined ? o.url : probeUrls[urlProbe], {
        onOpen() {
          open = true;
          openedAt[conn] = Date.now();
          if (urlProbe !== undefined) return;
          send.forEach((message, index) => {
            const probe = probeOf[conn];
            if (probe !== undefined && probe !== index) return;
            const at = () => {
              if (done || !open) return;
              sent.push({ conn, at: Date.now(), index, message });
              connection.send(JSON.stringify(message));
            };
            // the first goes once the welcome has had a moment to come
            timers.push(setTimeout(at, gap * ((probe === undefined ? index : 0) + 1)));
          });
        },
        onMessage(data, isBinary) {
          if (done) return;
          const at = Date.now();
          const frame: Received = isBinary ? { conn, at, binary: true } : { conn, at, text: typeof data === 'string' ? data : data.toString('utf8') };
          received.push(frame);
          if (urlProbe === undefined) o.onFrame?.(frame);
        },
        onKeepalive() {
          if (!done) keepalives.push({ conn, at: Date.now() });
        },
        onError(err) {
          if (!done) failures.add(err.message);
        },
        onClose(end) {
          const wasOpen = open;
          open = false;
          if (!done && wasOpen) failures.add(`the target closed a connection (${typeof end.code === 'number' ? `code ${end.code}` : end.code})`);
        },
      });
      connections.push(connection);
    }
  });
}
