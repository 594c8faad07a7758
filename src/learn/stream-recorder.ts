import { transportFor, type ConnectOptions, type StreamConnection, type Transport } from '../transport/index.js';
import type { Received, RecordOptions, Recording, Sent, StreamRecorder } from './recording.js';

/**
 * Watches a stream through the harness's own transport (WebSocket or
 * Server-Sent Events, src/transport/): a few connections opened together
 * (with the run's headers and TLS options), each sending the `--send`
 * messages after it opens, spaced apart so that what each one started can
 * be told apart, and keeping every message until the time is up. Beside
 * them, one probe connection per send sends that one alone: a stream that
 * starts on it was started by that send, however slow its first tick. A
 * protocol without client messages (SSE) opens the watching connections
 * only: its channels are chosen by the URL.
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
  const send = transport.clientMessages ? o.send : [];
  const probeOf: (number | undefined)[] = [...Array.from({ length: o.clients }, () => undefined), ...(o.probes === false ? [] : send.map((_, i) => i))];
  const openedAt: (number | undefined)[] = probeOf.map(() => undefined);
  const failures = new Set<string>();
  const connections: StreamConnection[] = [];
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
      resolve({ clients: o.clients, openedAt, probeOf, received, sent, startedAt, endedAt: Date.now(), failures: [...failures] });
    };
    timers.push(setTimeout(finish, o.durationMs));
    o.signal?.addEventListener('abort', finish);
    for (let conn = 0; conn < probeOf.length; conn++) {
      let open = false;
      const connection: StreamConnection = transport.session(connect).connect(o.url, {
        onOpen() {
          open = true;
          openedAt[conn] = Date.now();
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
          o.onFrame?.(frame);
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
