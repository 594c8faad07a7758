import { describe, expect, it } from 'vitest';
import { ChannelStream } from '../../src/checks/channel-stream.js';
import type { Checked } from '../../src/checks/connection-checker.js';
import { createCheckContext } from '../../src/checks/context.js';
import { Recorder } from '../../src/metrics/recorder.js';
import { aurigraphV11 } from '../helpers/profiles.js';

/**
 * The end of the books: a stream that falls behind in the last seconds
 * (a loaded harness or target) delivers its last steady ticks after the
 * steady end. They are late, not lost: the drain waits for them, and the
 * books close at the steady end in server time.
 */
const tps = aurigraphV11.channels.find((c) => c.channel === 'tps_updates')!;

function frame(ts: number): Checked {
  return { type: tps.messageType, json: true, utf8: true, payload: {}, timestamp: ts } as Checked;
}

function stream(steadyEndMs: number, startedAt = 500) {
  const recorder = new Recorder();
  const ctx = createCheckContext(aurigraphV11, recorder);
  ctx.steadyEndMs = steadyEndMs;
  const s = new ChannelStream(ctx, tps, 0);
  s.start(startedAt);
  return { s, recorder };
}

describe('the drain at the steady end', () => {
  // ticks each second 1000..10000; 8000..10000 come only after the steady end
  const prompt = [1000, 2000, 3000, 4000, 5000, 6000, 7000];
  const late: [number, number][] = [[8000, 10_800], [9000, 10_900], [10_000, 11_000]];

  it('closing at once counts the late ticks as lost', () => {
    const { s } = stream(10_000);
    for (const ts of prompt) s.onMessage(ts + 10, frame(ts));
    expect(s.settled(10_500)).toBe(false);
    s.finish(10_500);
    expect(s.lost).toBe(2);
  });

  it('after the late ticks come, nothing is lost, and a newer tick is outside the books', () => {
    const { s } = stream(10_000);
    for (const ts of prompt) s.onMessage(ts + 10, frame(ts));
    for (const [ts, at] of late) s.onMessage(at, frame(ts));
    expect(s.settled(11_000)).toBe(true);
    s.onMessage(11_010, frame(11_000));
    s.finish(11_020);
    expect(s.lost).toBe(0);
    expect(s.received).toBe(10);
  });

  it('a tick newer than the steady end settles a stream whose last steady tick was lost', () => {
    const { s } = stream(10_000);
    for (const ts of [...prompt, 8000]) s.onMessage(ts + 10, frame(ts));
    expect(s.settled(10_100)).toBe(false); // 9000 and 10000 are still due
    s.onMessage(11_010, frame(11_000));
    expect(s.settled(11_010)).toBe(true);
    s.finish(11_020);
    expect(s.lost).toBe(1); // 9000 and 10000 missing, one tolerated at the edge
  });

  it('a stalled stream is not waited for', () => {
    const { s } = stream(10_000);
    for (const ts of [1000, 2000, 3000]) s.onMessage(ts + 10, frame(ts));
    expect(s.settled(10_100)).toBe(true);
    s.finish(10_100);
    expect(s.lost).toBe(6);
  });

  it('a client closed just after the steady end (a ramp-down stage, no drain) is not charged for ticks in flight', () => {
    const { s } = stream(10_000);
    // 2.5 s behind: tick 7000 came at 9500; 8000..10000 were still on the way
    for (const ts of prompt) s.onMessage(ts + 2500, frame(ts));
    s.finish(10_050);
    expect(s.lost).toBe(0);
  });

  it('a stream that started late and has not had its first tick is waited for, within the stall bound', () => {
    const { s } = stream(10_000, 7500);
    expect(s.settled(10_100)).toBe(false); // two ticks due since 7500, none came yet
    s.onMessage(10_600, frame(8000));
    s.onMessage(10_700, frame(9000));
    s.onMessage(10_800, frame(10_000));
    expect(s.settled(10_800)).toBe(true);
    s.finish(10_800);
    expect(s.lost).toBe(0);
    expect(stream(10_000, 1000).s.settled(10_100)).toBe(true); // silent for 9 s: a stall, not late
  });
});
