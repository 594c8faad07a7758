import { describe, expect, it } from 'vitest';
import { LoopDelayBook } from '../../src/metrics/loop-delay.js';

describe('the harness loop delay book', () => {
  it('counts an idle span as slots of the resolution, and a probe as the time it took', () => {
    const b = new LoopDelayBook(10, 0);
    b.busy(0);
    b.probed(0, 10);
    b.probed(10, 72);
    b.rest(72);
    // 92 whole idle slots up to 1000, so the 62 ms probe is the top 1 of 94 samples
    expect(b.percentileMs(50, 1000)).toBeCloseTo(10, 1);
    expect(b.percentileMs(100, 1000)).toBeCloseTo(62, 0);
    expect(b.maxMs()).toBeCloseTo(62, 0);
  });

  it('weighs one long hold against the idle time around it as the native monitor would', () => {
    // two seconds: a 60 ms hold and 194 idle slots; under 1 % of the samples, so p99 sits in the idle slots
    const quiet = new LoopDelayBook(10, 0);
    quiet.rest(0);
    quiet.busy(400);
    quiet.probed(400, 460);
    quiet.rest(460);
    expect(quiet.percentileMs(99, 2000)).toBeCloseTo(10, 1);
    expect(quiet.maxMs()).toBeCloseTo(60, 0);
    // ten holds of 60 ms in one second: more than 1 % of the samples, so p99 reads the hold
    const busy = new LoopDelayBook(10, 0);
    for (let i = 0; i < 10; i++) {
      busy.busy(i * 100);
      busy.probed(i * 100, i * 100 + 60);
      busy.rest(i * 100 + 60);
    }
    expect(busy.percentileMs(99, 1000)).toBeCloseTo(60, 0);
  });

  it('fills an idle span once, however often it is read', () => {
    const b = new LoopDelayBook(10, 0);
    const once = new LoopDelayBook(10, 0);
    for (let t = 5; t <= 1000; t += 7) b.percentileMs(99, t);
    b.busy(1000);
    b.probed(1000, 1200);
    once.busy(1000);
    once.probed(1000, 1200);
    // 100 idle slots and one 200 ms probe each way: the top 1 % is the same sample
    expect(b.percentileMs(99.5, 1200)).toBe(once.percentileMs(99.5, 1200));
    expect(b.percentileMs(98, 1200)).toBe(once.percentileMs(98, 1200));
  });

  it('reads nothing before the first slot, and never less than a slot for a probe', () => {
    const b = new LoopDelayBook(10, 0);
    expect(b.percentileMs(99, 5)).toBe(0);
    b.busy(5);
    b.probed(5, 9);
    expect(b.maxMs()).toBeCloseTo(10, 1);
  });
});
