import type { Duplex } from 'node:stream';

/**
 * The other end as the sessions close it: a ws WebSocket, or an SSE
 * stream's socket (sse-server.ts), which ends (close) or is destroyed.
 */
export interface Peer {
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'message', listener: (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void): unknown;
}

/**
 * One accepted connection, as the simulator sees it. Frames are written
 * straight to the socket ws upgraded (the socket handed to handleUpgrade):
 * ws without permessage-deflate writes synchronously too, so whole frames
 * never interleave, and broadcast can reuse one Buffer for every client.
 */
export interface Client {
  /** Ordinal of the connection (1, 2, ...): the key of its fault dice. */
  readonly ordinal: number;
  readonly id: string;
  readonly ws: Peer;
  readonly socket: Duplex;
  readonly openedAt: number;
  /** Subscribed channels as a bit mask over the profile's channel list. */
  mask: number;
  /** Set once the server has decided to close it: nothing more is written. */
  closing: boolean;
  /** The Phase 3A behaviour, fixed when the connection opened. */
  readonly legacy: boolean;
  /** Token bucket against floods of client messages. */
  tokens: number;
  tokensAt: number;
  /** `disconnect=<age>`: when this connection is cut. */
  ageTimer: NodeJS.Timeout | undefined;
  /** After a server close, when the socket is destroyed if the peer never answers. */
  graceTimer: NodeJS.Timeout | undefined;
  /** `resume=skip`: the next event due is not sent (an SSE resume). */
  skipNext?: boolean;
}

export function isWritable(client: Client): boolean {
  return !client.closing && !client.socket.destroyed && client.socket.writable;
}
