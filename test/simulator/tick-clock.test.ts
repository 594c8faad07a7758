import { describe, expect, test } from 'vitest';
import { alignedSchedule, firstIndexAfter, indexAt, nextIndex, reschedule, tickTime } from '../../src/simulator/tick-clock.js';

describe('tick clock', () => {
  const s2000 = alignedSchedule(2000);

  test('ticks sit on the epoch grid', () => {
    expect(indexAt(s2000, 1_730_000_000_500)).toBe(865_000_000);
    expect(firstIndexAfter(s2000, 1_730_000_000_500)).toBe(865_000_001);
    expect(tickTime(s2000, 865_000_001)).toBe(1_730_000_002_000);
    // exactly on a tick: that tick is already due, the next one is armed
    expect(firstIndexAfter(s2000, 1_730_000_002_000)).toBe(865_000_002);
  });

  test('an hour of ticks has no drift: tick n is at n * period whatever the firing jitter', () => {
    const s = alignedSchedule(1000);
    let index = firstIndexAfter(s, 0);
    for (let i = 0; i < 3600; i++) {
      const firedAt = tickTime(s, index) + (i % 7); // up to 6 ms late each time
      index = nextIndex(s, index, firedAt);
    }
    expect(index).toBe(3601);
    expect(tickTime(s, index)).toBe(3_601_000);
  });

  test('a loop blocked past a period skips to the latest due tick instead of bursting', () => {
    const s = alignedSchedule(1000);
    expect(nextIndex(s, 10, 10_400)).toBe(11);
    expect(nextIndex(s, 10, 13_500)).toBe(13);
  });

  test('drift takes effect after the armed tick and keeps indexes rising', () => {
    const s = alignedSchedule(1000);
    const drifted = reschedule(s, 100, 1100, 1000);
    expect(drifted.index).toBe(100);
    expect(tickTime(drifted.schedule, 100)).toBe(100_000);
    expect(tickTime(drifted.schedule, 110)).toBe(111_000);
    // lifting a slower drift re-aligns to the epoch grid, skipping forward
    const back = reschedule(drifted.schedule, 110, 1000, 1000);
    expect(back.schedule).toEqual(alignedSchedule(1000));
    expect(back.index).toBe(111);
    expect(tickTime(back.schedule, back.index)).toBe(111_000);
  });

  test('lifting a faster drift stays anchored rather than send an index twice', () => {
    const fast = reschedule(alignedSchedule(1000), 100, 500, 1000);
    expect(tickTime(fast.schedule, 110)).toBe(105_000);
    const back = reschedule(fast.schedule, 110, 1000, 1000);
    expect(back.index).toBe(110);
    expect(tickTime(back.schedule, 111)).toBe(106_000);
  });
});
