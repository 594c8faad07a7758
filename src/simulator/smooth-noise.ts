import { hash32 } from './prng.js';

/**
 * The randomness of one tick's payload: value noise, a smooth curve through
 * random knots KNOT_TICKS ticks apart (cosine-eased), for numbers that
 * wander; fresh noise for jitter; and seeds that hold between two knots for
 * what cannot move smoothly (strings). Everything is a pure function of the
 * noise source (seed and channel) and the tick index.
 */

/** The slow curve changes direction every ~16 ticks. */
export const KNOT_TICKS = 16;

/** A number in [0, 1) fixed by a stream id (which field) and a tick index. */
export type Noise = (stream: number, index: number) => number;

/** What the drawing of one tick can ask for. `attempt` shifts every stream (a fresh draw). */
export class Draw {
  constructor(
    private readonly noise: Noise,
    readonly index: number,
    private readonly attempt: number,
  ) {}

  private key(stream: number): number {
    return stream + this.attempt * 0x10000;
  }

  /** Fresh every tick. */
  jitter(stream: number): number {
    return this.noise(this.key(stream), this.index);
  }

  /** A slow curve through knots KNOT_TICKS ticks apart. */
  smooth(stream: number): number {
    const k = Math.floor(this.index / KNOT_TICKS);
    const t = (this.index - k * KNOT_TICKS) / KNOT_TICKS;
    const ease = (1 - Math.cos(Math.PI * t)) / 2;
    const s = this.key(stream) + 0x8000;
    return this.noise(s, k) * (1 - ease) + this.noise(s, k + 1) * ease;
  }

  /** A 32-bit seed that holds between two knots. */
  held(stream: number): number {
    return hash32(Math.floor(this.noise(this.key(stream) + 0x4000, Math.floor(this.index / KNOT_TICKS)) * 0x1_0000_0000));
  }
}

