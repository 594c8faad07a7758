/**
 * Seeded randomness, in two shapes.
 *
 * - `unitHash(seed, ...keys)` is a pure function: the same seed and keys give
 *   the same number in [0, 1) in every process, whatever happened before. Tick
 *   data and per-message fault decisions use it, so they do not depend on the
 *   order in which clients connected or timers fired.
 * - `mulberry32(seed)` is a small sequential PRNG for things that are naturally
 *   a sequence (a legacy client's own random draws).
 */

/** murmur3's 32-bit finaliser: spreads every input bit over the output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Folds one integer key into a running hash; keys may exceed 32 bits (a tick index, ms). */
function mix(h: number, key: number): number {
  const hi = key > 0xffffffff || key < 0 ? Math.floor(key / 0x1_0000_0000) >>> 0 : 0;
  return fmix32((Math.imul(h ^ (key >>> 0), 0x01000193) + hi) >>> 0);
}

/** A 32-bit hash of a seed and integer keys. */
export function hash32(seed: number, ...keys: number[]): number {
  let h = fmix32((seed ^ 0x9e3779b9) >>> 0);
  for (let i = 0; i < keys.length; i++) h = mix(h, keys[i]);
  return h;
}

/**
 * A hasher with its leading keys folded in once: tick data calls it
 * millions of times (a day of TPS ticks to find the day's peak).
 */
export function keyedHash(seed: number, ...prefix: number[]): (a: number, b: number) => number {
  const h0 = hash32(seed, ...prefix);
  return (a, b) => mix(mix(h0, a), b) / 0x1_0000_0000;
}

/** A number in [0, 1) fixed by the seed and keys. */
export function unitHash(seed: number, ...keys: number[]): number {
  return hash32(seed, ...keys) / 0x1_0000_0000;
}

/** mulberry32: a fast, well-mixed 32-bit PRNG; returns numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/** A stable small integer for a string (fault names, channel names) to use as a hash key. */
export function stringKey(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
