import { isDeepStrictEqual } from 'node:util';
import { ConnectionChecker } from '../checks/connection-checker.js';
import { createCheckContext, type CheckContext } from '../checks/context.js';
import { Recorder } from '../metrics/recorder.js';
import { frameHeaderBytes } from '../transport/index.js';
import type { PageStreamChecks } from '../metrics/browser-results.js';
import type { TargetProfile } from '../profile/index.js';

const EXAMPLES = 5;

/**
 * The frames a browser's pages received on the target's stream, through the
 * very checks the load clients run (schema, welcome, timestamps, cadence,
 * loss): each page socket is one checked connection, in a recorder of the
 * browser's own so the page's findings are told apart from the load's.
 * A channel starts when the page sends the profile's subscribe for it.
 */
export class PageStream {
  private readonly recorder = new Recorder();
  private readonly ctx: CheckContext;
  private readonly open = new Map<string, ConnectionChecker>();
  private readonly subscribes: { channel: string; message: unknown }[];
  private client = 0;
  private received = 0;
  private lost = 0;

  constructor(profile: TargetProfile, clockOffsetMs: number, steady: { startMs: number; endMs: number }) {
    this.ctx = createCheckContext(profile, this.recorder);
    this.ctx.clockOffsetMs = clockOffsetMs;
    this.ctx.steadyStartMs = steady.startMs;
    this.ctx.steadyEndMs = steady.endMs;
    const subscribe = profile.control.subscribe;
    this.subscribes = subscribe ? profile.channels.map((c) => ({ channel: c.channel, message: subscribe(c.channel) })) : [];
  }

  opened(socket: string, t: number): void {
    this.open.set(socket, new ConnectionChecker(this.ctx, this.client++, t));
  }

  sent(socket: string, text: string | null, t: number): void {
    const checker = this.open.get(socket);
    if (!checker || text === null) return;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    for (const s of this.subscribes) if (isDeepStrictEqual(s.message, message)) checker.startChannel(s.channel, t);
  }

  frame(socket: string, text: string | undefined, binaryBytes: number, t: number): void {
    const checker = this.open.get(socket);
    if (!checker) return;
    // the page's sockets are WebSocket: its wire bytes are the load clients' (frame header included)
    if (text === undefined) checker.onMessage(Buffer.alloc(binaryBytes), true, t, binaryBytes + frameHeaderBytes(binaryBytes));
    else {
      const data = Buffer.from(text, 'utf8');
      checker.onMessage(data, false, t, data.length + frameHeaderBytes(data.length));
    }
  }

  closed(socket: string, t: number): void {
    const checker = this.open.get(socket);
    if (!checker) return;
    this.open.delete(socket);
    const books = checker.finish(t);
    this.received += books.received;
    this.lost += books.lost;
  }

  finish(t: number): PageStreamChecks {
    for (const id of [...this.open.keys()]) this.closed(id, t);
    const snap = this.recorder.snapshot();
    const violations: Record<string, number> = {};
    for (const [k, v] of Object.entries(snap.counters)) if (k.startsWith('violation:') && v) violations[k.slice('violation:'.length)] = v;
    return {
      frames: snap.counters.frames ?? 0,
      violations,
      examples: snap.samples.slice(0, EXAMPLES).map((s) => `${s.kind}: ${s.detail}`),
      received: this.received,
      lost: this.lost,
    };
  }
}
