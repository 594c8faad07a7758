import type { Client } from './client.js';
import type { FaultState } from './fault-state.js';
import type { SimulatorMetrics } from './metrics.js';
import type { Tick, Wire } from './wire.js';

/** Longest a batch waits for a channel due at the same instant. */
const HOLD_MS = 5;

/**
 * Sends each tick's bytes to its subscribers. Clients are grouped by the set
 * of channels they take (a bit mask), and ticks due in the same event-loop
 * turn are flushed together: with every channel due on whole seconds, an
 * all-channel client gets one write per second carrying the 1-4 frames due,
 * built once for its whole group. Without per-message faults the inner loop
 * is one `socket.write` of a shared Buffer per client.
 */
export class Broadcaster {
  private readonly groups = new Map<number, Set<Client>>();
  private pending: Tick[] = [];
  private flushArmed = false;
  private holdTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly wire: Wire,
    private readonly faults: FaultState,
    private readonly metrics: SimulatorMetrics,
    /** Each tick once it has gone out (an SSE stream keeps them for resumes). */
    private readonly onSent?: (tick: Tick) => void,
  ) {}

  add(client: Client): void {
    this.group(client.mask).add(client);
  }

  remove(client: Client): void {
    const set = this.groups.get(client.mask);
    if (!set) return;
    set.delete(client);
    if (set.size === 0) this.groups.delete(client.mask);
  }

  setMask(client: Client, mask: number): void {
    if (mask === client.mask) return;
    this.remove(client);
    client.mask = mask;
    this.add(client);
  }

  /**
   * Queues a tick. With `more`, another channel is due at the same instant
   * and its timer is about to fire (timers of one instant wake within a ms
   * or so of each other, not always in one loop turn): the batch waits for
   * it, at most HOLD_MS. Otherwise the batch goes out at the end of this turn.
   */
  enqueue(tick: Tick | undefined, more: boolean): void {
    if (tick) this.pending.push(tick);
    if (more) {
      if (!this.holdTimer && this.pending.length > 0) {
        this.holdTimer = setTimeout(this.flush, HOLD_MS);
        this.holdTimer.unref();
      }
      return;
    }
    if (this.flushArmed || this.pending.length === 0) return;
    this.flushArmed = true;
    setImmediate(this.flush);
  }

  /** Drops queued ticks (shutdown). */
  clear(): void {
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    this.pending = [];
  }

  private group(mask: number): Set<Client> {
    let set = this.groups.get(mask);
    if (!set) {
      set = new Set();
      this.groups.set(mask, set);
    }
    return set;
  }

  private readonly flush = (): void => {
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    const ticks = this.pending;
    this.pending = [];
    this.flushArmed = false;
    if (ticks.length === 0) return;
    const perMessage = this.faults.perMessage;
    const delivered = new Array<number>(ticks.length).fill(0);

    for (const [mask, clients] of this.groups) {
      const mine = ticks.filter((t) => (mask >>> t.channelIndex) & 1);
      if (mine.length === 0) continue;
      if (perMessage) {
        for (const client of clients) for (const tick of mine) this.wire.deliver(client, tick);
        continue;
      }
      const frame = mine.length === 1 ? mine[0].message.frame : Buffer.concat(mine.map((t) => t.message.frame));
      let written = 0;
      for (const client of clients) if (this.wire.write(client, frame)) written++;
      for (const tick of mine) delivered[ticks.indexOf(tick)] += written;
    }

    const end = Date.now();
    ticks.forEach((tick, i) => {
      if (!perMessage) this.metrics.sent(tick.message.type, delivered[i], tick.message.frame.length);
      this.metrics.tick(tick.message.type, end - tick.scheduledAt);
      this.onSent?.(tick);
    });
  };
}
