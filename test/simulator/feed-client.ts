import WebSocket from 'ws';
import type { TargetProfile } from '../../src/profile/index.js';

/**
 * A plain `ws` client that reads any profile's envelope (its own type,
 * payload and timestamp field names; timestamps kept as sent), and waits on
 * conditions re-checked at each message.
 */

export interface FeedMessage {
  readonly type: string;
  readonly payload: Record<string, unknown>;
  /** As sent, in the profile's unit. */
  readonly stamp: number;
  readonly raw: string;
  readonly at: number;
}

export interface FeedClient {
  readonly ws: WebSocket;
  readonly got: FeedMessage[];
  /** Frames that were not JSON. */
  readonly broken: string[];
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;
  of(type: string): FeedMessage[];
  until(what: string, ok: () => boolean, ms: number): Promise<void>;
  send(message: unknown): void;
}

export function feedClient(url: string, profile: TargetProfile): FeedClient {
  const ws = new WebSocket(url);
  const { typeField, payloadField, timestampField } = profile.envelope;
  const got: FeedMessage[] = [];
  const broken: string[] = [];
  const waits = new Set<() => void>();
  ws.on('message', (data) => {
    const raw = data.toString();
    try {
      const env = JSON.parse(raw) as Record<string, unknown>;
      got.push({ type: String(env[typeField]), payload: env[payloadField] as Record<string, unknown>, stamp: env[timestampField] as number, raw, at: Date.now() });
    } catch {
      broken.push(raw);
    }
    for (const w of waits) w();
  });
  ws.on('error', () => {});
  const closed = new Promise<number>((resolve) =>
    ws.on('close', (code) => {
      resolve(code);
      for (const w of waits) w();
    }),
  );
  const until = (what: string, ok: () => boolean, ms: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waits.delete(check);
        reject(new Error(`no ${what} within ${ms} ms: ${JSON.stringify(got.map((m) => m.type))}`));
      }, ms);
      const check = (): void => {
        if (!ok()) return;
        clearTimeout(timer);
        waits.delete(check);
        resolve();
      };
      waits.add(check);
      check();
    });
  return {
    ws,
    got,
    broken,
    opened: new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    }),
    closed,
    of: (type) => got.filter((m) => m.type === type),
    until,
    send: (message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
  };
}
