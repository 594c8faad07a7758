import WebSocket, { type ClientOptions } from 'ws';
import type { Received, RecordOptions, Recording, Sent, StreamRecorder } from './recording.js';

/**
 * Watches a WebSocket stream: a few connections opened together (with the
 * run's upgrade headers and TLS options), each sending the `--send`
 * messages after it opens, spaced apart so that what each one started can
 * be told apart, and keeping every frame until the time is up. Beside
 * them, one probe connection per send sends that one alone: a stream that
 * starts on it was started by that send, however slow its first tick.
 */

/** Default space between two `--send` messages on a connection. */
export const SEND_GAP_MS = 400;

export function webSocketRecorder(wsOptions: ClientOptions): StreamRecorder {
  return (options) => recordWebSocket(wsOptions, options);
}

function recordWebSocket(wsOptions: ClientOptions, o: RecordOptions): Promise<Recording> {
  const received: Received[] = [];
  const sent: Sent[] = [];
  const probeOf: (number | undefined)[] = [...Array.from({ length: o.clients }, () => undefined), ...(o.probes === false ? [] : o.send.map((_, i) => i))];
  const openedAt: (number | undefined)[] = probeOf.map(() => undefined);
  const failures = new Set<string>();
  const sockets: WebSocket[] = [];
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
      for (const ws of sockets) {
        ws.removeAllListeners('message');
        ws.on('error', () => undefined);
        if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.terminate();
      }
      resolve({ clients: o.clients, openedAt, probeOf, received, sent, startedAt, endedAt: Date.now(), failures: [...failures] });
    };
    timers.push(setTimeout(finish, o.durationMs));
    o.signal?.addEventListener('abort', finish);
    for (let conn = 0; conn < probeOf.length; conn++) {
      const ws = new WebSocket(o.url, { ...wsOptions, perMessageDeflate: false });
      sockets.push(ws);
      ws.on('open', () => {
        openedAt[conn] = Date.now();
        o.send.forEach((message, index) => {
          const probe = probeOf[conn];
          if (probe !== undefined && probe !== index) return;
          const at = () => {
            if (ws.readyState !== WebSocket.OPEN) return;
            sent.push({ conn, at: Date.now(), index, message });
            ws.send(JSON.stringify(message));
          };
          // the first goes once the welcome has had a moment to come
          timers.push(setTimeout(at, gap * ((probe === undefined ? index : 0) + 1)));
        });
      });
      ws.on('message', (data, isBinary) => {
        const frame: Received = isBinary ? { conn, at: Date.now(), binary: true } : { conn, at: Date.now(), text: (data as Buffer).toString('utf8') };
        received.push(frame);
        o.onFrame?.(frame);
      });
      ws.on('unexpected-response', (_req, res) => {
        failures.add(`the upgrade was answered HTTP ${res.statusCode}`);
        ws.terminate();
      });
      ws.on('error', (err) => failures.add((err as Error).message));
      ws.on('close', (code) => {
        if (!done && openedAt[conn] !== undefined) failures.add(`the target closed a connection (code ${code})`);
      });
    }
  });
}
