import { sseTransport } from './sse.js';
import type { Transport, TransportKind } from './types.js';
import { websocketTransport } from './websocket.js';

export type { ConnectOptions, ProtocolViolation, StreamConnection, StreamEnd, StreamEvents, Transport, TransportError, TransportKind, TransportSession } from './types.js';
export { frameHeaderBytes } from './websocket.js';

/** The transport a profile's `transport:` names. */
export function transportFor(kind: TransportKind): Transport {
  return kind === 'sse' ? sseTransport : websocketTransport;
}
