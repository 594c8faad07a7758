import { BenchError, type BenchErrorCode } from '../errors.js';

/**
 * Requests and notes over a process's IPC channel, both ways between a
 * cluster's primary and its workers. A request carries an id and gets one
 * answer (a value, or an error that comes back as the same BenchError code);
 * a note gets none. Either may carry a handle (a listening socket).
 *
 *   { rpc: 'req', id: 7, kind: 'faults', body: ['drop=2%'] }
 *   { rpc: 'res', id: 7, ok: true, value: null }
 *   { rpc: 'note', kind: 'conn' }   + the socket handle
 */

/** The part of ChildProcess / process this needs. */
export interface Endpoint {
  send?(message: unknown, sendHandle?: unknown, options?: unknown, callback?: (err: Error | null) => void): boolean;
  on(event: 'message', listener: (message: unknown, handle: unknown) => void): unknown;
}

type Handler = (body: unknown, handle: unknown) => unknown;

interface Wire {
  rpc: 'req' | 'res' | 'note';
  id?: number;
  kind?: string;
  body?: unknown;
  ok?: boolean;
  value?: unknown;
  error?: { message: string; code?: string };
}

export class Rpc {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  constructor(
    private readonly endpoint: Endpoint,
    private readonly handlers: Readonly<Record<string, Handler>>,
  ) {
    endpoint.on('message', (message, handle) => this.receive(message as Wire, handle));
  }

  request<T = unknown>(kind: string, body?: unknown, timeoutMs = 10_000, handle?: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new BenchError('LSB_HARNESS', `simulator process did not answer "${kind}" within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.post({ rpc: 'req', id, kind, body }, handle, (err) => {
        if (!err) return;
        this.settle(id, { rpc: 'res', id, ok: false, error: { message: `simulator process unreachable: ${err.message}`, code: 'LSB_HARNESS' } });
      });
    });
  }

  /** Fire and forget (a note that cannot be sent is dropped: the next one says the same, newer). */
  note(kind: string, body?: unknown): void {
    this.post({ rpc: 'note', kind, body }, undefined, () => {});
  }

  /** Fails every request still waiting (the other process is gone). */
  failAll(why: string): void {
    for (const id of [...this.pending.keys()]) this.settle(id, { rpc: 'res', id, ok: false, error: { message: why, code: 'LSB_HARNESS' } });
  }

  private post(message: Wire, handle: unknown, callback: (err: Error | null) => void): void {
    try {
      if (!this.endpoint.send) throw new Error('no IPC channel');
      this.endpoint.send(message, handle, undefined, callback);
    } catch (err) {
      callback(err as Error);
    }
  }

  private settle(id: number, message: Wire): void {
    const waiting = this.pending.get(id);
    if (!waiting) return;
    this.pending.delete(id);
    clearTimeout(waiting.timer);
    if (message.ok) waiting.resolve(message.value);
    else waiting.reject(new BenchError((message.error?.code ?? 'LSB_HARNESS') as BenchErrorCode, message.error?.message ?? 'failed'));
  }

  private receive(message: Wire, handle: unknown): void {
    if (typeof message !== 'object' || message === null || !('rpc' in message)) return;
    if (message.rpc === 'res' && message.id !== undefined) return this.settle(message.id, message);
    const handler = this.handlers[message.kind ?? ''];
    if (message.rpc === 'note') {
      handler?.(message.body, handle);
      return;
    }
    const id = message.id;
    const answer = (reply: Wire): void => this.post(reply, undefined, () => {});
    Promise.resolve()
      .then(() => {
        if (!handler) throw new BenchError('LSB_HARNESS', `no handler for "${message.kind}"`);
        return handler(message.body, handle);
      })
      .then(
        (value) => answer({ rpc: 'res', id, ok: true, value: value ?? null }),
        (err: unknown) =>
          answer({ rpc: 'res', id, ok: false, error: { message: err instanceof Error ? err.message : String(err), code: (err as BenchError).code } }),
      );
  }
}
