import { describe, expect, it } from 'vitest';
import { ChannelStream } from '../../src/checks/channel-stream.js';
import type { Checked } from '../../src/checks/connection-checker.js';
import { createCheckContext } from '../../src/checks/context.js';
import { Recorder } from '../../src/metrics/recorder.js';
import type { ChannelSpec } from '../../src/profile/index.js';
import { aurigraphV11 } from '../helpers/profiles.js';

/**
 * The start of a stream (channel-stream.ts): a snapshot at once on
 * subscribe, then the broadcast ticks on their own phase.
 */
const blocks = aurigraphV11.channels.find((c) => c.channel === 'block_updates')!;
const noSnapshot: ChannelSpec = { ...blocks, snapshotOnSubscribe: false };

function frame(ts: number): Checked {
  return { type: blocks.messageType, json: true, utf8: true, payload: {}, timestamp: ts } as Checked;
}

/** Subscribed at 0; each [server ts, receive time]; the books closed at `end`. */
function judged(spec: ChannelSpec, messages: [number, number][], end: number) {
  const recorder = new Recorder();
  const ctx = createCheckContext(aurigraphV11, recorder);
  const s = new ChannelStream(ctx, spec, 0);
  s.start(0);
  for (const [ts, at] of messages) s.onMessage(at, frame(ts));
  s.finish(end);
  const c = recorder.snapshot().counters;
  return { s, off: c['cadence_off:block_updates'] ?? 0, gaps: c['gap_count:block_updates'] ?? 0 };
}

// interval 2000: snapshot at 3 ms, ticks at 450, 2450, ... 10450
const ticks: [number, number][] = [0, 1, 2, 3, 4, 5].map((k) => [450 + k * 2000, 455 + k * 2000]);

describe('a snapshot on subscribe', () => {
  it('is the start: the short gap to the first tick is not judged, nothing lost or doubled', () => {
    const { s, off, gaps } = judged(blocks, [[3, 3], ...ticks], 11_000);
    expect(off).toBe(0);
    expect(gaps).toBe(5); // 455 -> 10455, not the 452 ms from the snapshot
    expect(s.lost).toBe(0);
    expect(s.duplicates).toBe(0);
  });

  it('stamped with the tick it shows, the same tick broadcast after it is one tick, not a duplicate', () => {
    const { s, off } = judged(blocks, [[450, 460], [450, 470], ...ticks.slice(1)], 11_000);
    expect(off).toBe(0);
    expect(s.duplicates).toBe(0);
    expect(s.received).toBe(6);
  });

  it('without snapshotOnSubscribe the same stream is off cadence (a gap under half the interval)', () => {
    const { off } = judged(noSnapshot, [[3, 3], ...ticks], 11_000);
    expect(off).toBe(1);
  });

  it('a snapshot followed by a long wait still counts the wait', () => {
    const late: [number, number][] = [5000, 7000, 9000, 11_000, 13_000, 15_000].map((t) => [t, t + 5]);
    const { off } = judged(blocks, [[3, 3], ...late], 16_000);
    expect(off).toBe(1);
  });

  it('only the first message can be one: a later same-tick message is a duplicate', () => {
    const { s } = judged(blocks, [...ticks.slice(0, 3), [ticks[2][0], ticks[2][1] + 5], ...ticks.slice(3)], 11_000);
    expect(s.duplicates).toBe(1);
  });
});
