import WebSocket, { type ClientOptions } from 'ws';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/index.js';

/**
 * A raw `ws` client that records every frame with its receive time, and
 * waits on conditions re-checked at each message (never on sleeps).
 */

export interface Received {
  readonly raw: string;
  /** Receive time, ms since the epoch (sub-ms from performance.now). */
  readonly at: number;
  /** Parsed envelope, or undefined when the frame was not JSON. */
  readonly msg: { type: string; payload: Record<string, unknown>; timestamp: number } | undefined;
}

const now = (): number => performance.timeOrigin + performance.now();

export class Probe {
  readonly received: Received[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Headers of the 101 response (a cluster names its worker in x-simulator-worker). */
  upgradeHeaders: Record<string, string | string[] | undefined> = {};
  private readonly checks = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.once('upgrade', (res) => (this.upgradeHeaders = res.headers));
    ws.on('message', (data, isBinary) => {
      const raw = isBinary ? '<binary>' : data.toString();
      let msg: Received['msg'];
      try {
        msg = JSON.parse(raw);
      } catch {
        msg = undefined;
      }
      this.received.push({ raw, at: now(), msg });
      for (const check of this.checks) check();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        for (const check of this.checks) check();
      });
    });
    ws.on('error', () => {});
  }

  static open(url: string, options?: ClientOptions): Promise<Probe> {
    const ws = new WebSocket(url, options);
    const probe = new Probe(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(probe));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  subscribe(...channels: string[]): void {
    for (const channel of channels) this.send({ type: 'subscribe', channel });
  }

  ofType(type: string): Received[] {
    return this.received.filter((r) => r.msg?.type === type);
  }

  /** Resolves once `cond` holds; re-checked on every message and on close. */
  until(cond: () => boolean, timeoutMs: number, label = 'condition'): Promise<void> {
    if (cond()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!cond()) return;
        this.checks.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.checks.delete(check);
        const seen = this.received.map((r) => r.msg?.type ?? 'non-JSON').join(', ');
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${label}; received: ${seen}`));
      }, timeoutMs);
      this.checks.add(check);
    });
  }

  /** Waits until `n` messages of `type` have arrived and returns them. */
  async collect(type: string, n: number, timeoutMs: number): Promise<Received[]> {
    await this.until(() => this.ofType(type).length >= n, timeoutMs, `${n} × ${type}`);
    return this.ofType(type).slice(0, n);
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Runs `body` against a fresh simulator on a free port, closing both after. */
export async function withSimulator<T>(
  options: SimulatorOptions,
  body: (sim: RunningSimulator, open: (o?: ClientOptions) => Promise<Probe>) => Promise<T>,
): Promise<T> {
  const sim = await startSimulator({ port: 0, ...options });
  const probes: Probe[] = [];
  const open = async (o?: ClientOptions): Promise<Probe> => {
    const p = await Probe.open(sim.url, o);
    probes.push(p);
    return p;
  };
  try {
    return await body(sim, open);
  } finally {
    for (const p of probes) p.close();
    await sim.close();
  }
}

/** Resolves with the HTTP status an upgrade gets refused with (or 101). */
export function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.on('error', (err) => reject(err));
  });
}

/** Consecutive differences of a list of times. */
export function gaps(times: readonly number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]);
}

/**
 * How late each arrival is against the best-fitting regular grid of period
 * `intervalMs`: arrival i belongs to slot i, and lateness is measured from
 * the least-delayed arrival. Scheduling hiccups of a busy test machine delay
 * single messages (even by more than half a period, which a per-arrival slot
 * check would misread as a skipped slot); a wrong or drifting period, or a
 * missing or extra message, makes lateness grow for every later slot, which
 * the caller's share-within-bound judges.
 *
 * Example: arrivals 5, 1003, 2090, 3004 at 1000 ms -> lateness 2, 0, 87, 1.
 */
export function lateness(times: readonly number[], intervalMs: number): number[] {
  const t0 = Math.min(...times.map((t, i) => t - i * intervalMs));
  return times.map((t, i) => t - i * intervalMs - t0);
}

/** The share of values at most `bound`. */
export function shareWithin(values: readonly number[], bound: number): number {
  return values.length === 0 ? 0 : values.filter((v) => v <= bound).length / values.length;
}

/** Resolves once `cond` holds, polled every `pollMs`, or rejects after `ms` naming `label`. */
export function until(cond: () => boolean, ms: number, label: string, pollMs = 10): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (cond()) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() - started > ms) {
        clearInterval(poll);
        reject(new Error(`timed out waiting for ${label}`));
      }
    }, pollMs);
  });
}
