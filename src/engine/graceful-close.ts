import WebSocket from 'ws';

/**
 * Closes a socket with a close frame, as a page does, and destroys it if
 * the closing handshake takes longer than `timeoutMs` (a target that never
 * answers the close must not hold the run); resolves once it is closed.
 * One still connecting has no handshake to wait for and is destroyed.
 */
export function closeGracefully(ws: WebSocket, timeoutMs: number, code: number, reason: string): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => ws.terminate(), timeoutMs);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    else ws.close(code, reason);
  });
}
