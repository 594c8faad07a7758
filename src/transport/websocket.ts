import WebSocket, { type ClientOptions } from 'ws';
import type { ConnectOptions, StreamConnection, StreamEvents, Transport, TransportError, TransportSession } from './types.js';

/**
 * WebSocket over `ws`: the only module of the harness that imports it
 * (.dependency-cruiser.cjs). One text frame is one message.
 */

/** Bytes of a server-to-client frame header (unmasked) for a payload length. */
export function frameHeaderBytes(payloadLength: number): number {
  if (payloadLength < 126) return 2;
  return payloadLength < 65_536 ? 4 : 10;
}

export function wsClientOptions(o: ConnectOptions): ClientOptions {
  return {
    ...(o.headers ? { headers: o.headers } : {}),
    ...(o.connectTimeoutMs !== undefined ? { handshakeTimeout: o.connectTimeoutMs } : {}),
    perMessageDeflate: false,
    ...(o.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
    ...(o.ca ? { ca: o.ca } : {}),
    // a frame over the cap is a violation, and ws never buffers more than it
    ...(o.maxMessageBytes !== undefined ? { maxPayload: o.maxMessageBytes } : {}),
    ...(o.skipUtf8Validation ? { skipUTF8Validation: true } : {}),
  };
}

class WsConnection implements StreamConnection {
  private readonly ws: WebSocket;

  constructor(url: string, options: ClientOptions, events: StreamEvents) {
    const ws = new WebSocket(url, options);
    this.ws = ws;
    let opened = false;
    ws.on('open', () => {
      opened = true;
      events.onOpen();
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => events.onMessage(data, isBinary, data.length + frameHeaderBytes(data.length), undefined));
    ws.on('error', (err: TransportError) => {
      // ws names its protocol errors WS_ERR_* and closes the socket for them
      if (opened && err.code?.startsWith('WS_ERR_')) err.violation = err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'oversized_frame' : 'protocol_error';
      events.onError(err, opened);
    });
    ws.on('close', (code: number, reason: Buffer) => events.onClose({ code, reason: reason.length > 0 ? reason.toString('utf8') : '' }));
  }

  send(text: string): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(text);
    return true;
  }

  terminate(): void {
    this.ws.terminate();
  }

  /**
   * A close frame, as a page sends; the socket is destroyed if the closing
   * handshake takes longer than `timeoutMs` (a target that never answers the
   * close must not hold the run). One still connecting has no handshake to
   * wait for and is destroyed.
   */
  closeGracefully(timeoutMs: number, code: number, reason: string): Promise<void> {
    const ws = this.ws;
    return new Promise((resolve) => {
      if (ws.readyState === WebSocket.CLOSED) return resolve();
      const timer = setTimeout(() => ws.terminate(), timeoutMs);
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else if (ws.readyState === WebSocket.OPEN) ws.close(code, reason);
    });
  }

  ping(timeoutMs: number): Promise<number | undefined> {
    const ws = this.ws;
    if (ws.readyState !== WebSocket.OPEN) return Promise.resolve(undefined);
    const sentAt = performance.now();
    const payload = Buffer.from(`lsb-${Math.floor(Date.now())}`);
    return new Promise((resolve) => {
      const done = (v: number | undefined) => {
        clearTimeout(timer);
        ws.off('pong', onPong);
        ws.off('close', onClose);
        resolve(v);
      };
      const onPong = (data: Buffer) => {
        if (data.equals(payload)) done(performance.now() - sentAt);
      };
      const onClose = () => done(undefined);
      const timer = setTimeout(() => done(undefined), Math.max(0, timeoutMs));
      ws.on('pong', onPong);
      ws.on('close', onClose);
      ws.ping(payload);
    });
  }
}

class WsSession implements TransportSession {
  readonly retryMs = undefined;
  readonly resumes = false;
  constructor(private readonly options: ClientOptions) {}
  connect(url: string, events: StreamEvents): StreamConnection {
    return new WsConnection(url, this.options, events);
  }
}

export const websocketTransport: Transport = {
  kind: 'websocket',
  clientMessages: true,
  session: (options) => new WsSession(wsClientOptions(options)),
};
