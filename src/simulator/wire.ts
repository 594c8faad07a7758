import type { TargetProfile } from '../profile/index.js';
import { isWritable, type Client } from './client.js';
import type { FaultState } from './fault-state.js';
import { frameFor, type Encoded } from './frames.js';
import type { SimulatorMetrics } from './metrics.js';

/**
 * Writing frames to clients: the slow-consumer bound, and the per-message
 * faults (drop, malformed, oversize, duplicate) applied on the way out.
 */

/** One channel message, built once per tick and shared by every recipient. */
export class Tick {
  private malformedFrame: Buffer | undefined;
  private oversizeFrame: Buffer | undefined;

  constructor(
    readonly channelIndex: number,
    readonly index: number,
    readonly scheduledAt: number,
    readonly message: Encoded,
  ) {}

  /** Invalid JSON: the text cut in half, as a torn write would leave it. */
  malformed(profile: TargetProfile): Buffer {
    if (!this.malformedFrame) {
      const text = JSON.stringify(this.message.envelope);
      this.malformedFrame = frameFor(profile, text.slice(0, Math.max(1, Math.floor(text.length / 2))), this.message.id);
    }
    return this.malformedFrame;
  }

  /** Valid JSON padded with a `padding` payload field up to about `bytes`. */
  oversize(profile: TargetProfile, bytes: number): Buffer {
    if (!this.oversizeFrame) {
      const env = this.message.envelope;
      const field = profile.envelope.payloadField;
      const base = JSON.stringify(env).length + ',"padding":""'.length;
      const payload = { ...(env[field] as object), padding: 'x'.repeat(Math.max(0, bytes - base)) };
      // The same envelope and stamp, only the payload grown.
      this.oversizeFrame = frameFor(profile, JSON.stringify({ ...env, [field]: payload }), this.message.id);
    }
    return this.oversizeFrame;
  }
}

export class Wire {
  constructor(
    private readonly profile: TargetProfile,
    private readonly metrics: SimulatorMetrics,
    private readonly faults: FaultState,
    private readonly slowConsumerBytes: number,
    private readonly onSlowConsumer: (client: Client) => void,
  ) {}

  /** Writes a frame (or several back to back); false if the client is gone or too slow. */
  write(client: Client, frame: Buffer): boolean {
    if (!isWritable(client)) return false;
    // Bytes the kernel would not take wait in the socket's user-space queue.
    // Still holding more than the bound from earlier writes means the client
    // is not keeping up; holding more for it would let one reader grow the
    // server without limit. (Checked before the write, so one big frame to a
    // healthy reader does not count against it.)
    if (client.socket.writableLength > this.slowConsumerBytes) {
      this.onSlowConsumer(client);
      return false;
    }
    client.socket.write(frame);
    return true;
  }

  /** A reply or welcome: counted as one message of its type; nothing when the profile has no such reply. */
  reply(client: Client, message: Encoded | undefined): void {
    if (message && this.write(client, message.frame)) this.metrics.sent(message.type, 1, message.frame.length);
  }

  /** A channel message under per-message faults; counts what actually went out. */
  deliver(client: Client, tick: Tick): void {
    const fate = this.faults.fate(client.ordinal, tick.channelIndex, tick.index);
    if (fate.drop) return;
    if (client.skipNext) {
      // `resume=skip`: the first event due after a resume never goes out
      client.skipNext = false;
      return;
    }
    const oversize = this.faults.set.oversize;
    let frame = tick.message.frame;
    if (fate.malformed) frame = tick.malformed(this.profile);
    else if (fate.oversize && oversize) frame = tick.oversize(this.profile, oversize.bytes);
    const copies = fate.duplicate ? 2 : 1;
    let sent = 0;
    for (let i = 0; i < copies; i++) if (this.write(client, frame)) sent++;
    this.metrics.sent(tick.message.type, sent, frame.length);
  }
}
