import { describe, expect, it } from 'vitest';
import { counterUnit, inferRising, RISING_LONG } from '../../src/learn/fields.js';
import type { Message } from '../../src/learn/observed.js';

/** Two clients that saw the same ticks of one field (shared values, as a broadcast stream sends them). */
function seen(values: readonly number[], clients = 2): Message[] {
  const out: Message[] = [];
  for (let conn = 0; conn < clients; conn++) values.forEach((v, i) => out.push({ conn, at: i * 1000, type: 't', payload: { f: v, seq: i } }));
  return out;
}

describe('which fields learn calls rising', () => {
  it('a counter is rising from six ticks, a skipped tick (a whole multiple of its unit) included', () => {
    const r = inferRising(seen([100, 101, 102, 104, 105, 106]));
    expect(r.fields).toEqual(expect.arrayContaining(['f', 'seq']));
    expect(r.why).toMatch(/f rose in 10 of 10 steps, by 1 or whole multiples of it/);
  });

  it('six ticks of a value climbing by uneven steps are not (a wander climbs that long often), and the profile says to watch longer', () => {
    const r = inferRising(seen([1000, 1003, 1013, 1014, 1021, 1025]));
    expect(r.fields).toEqual(['seq']);
    expect(r.unsure).toMatch(/^f climbed by uneven steps .* \(watch longer: --duration\)$/);
  });

  it(`a climb by uneven steps that lasts ${RISING_LONG} steps is rising (a running total, a clock)`, () => {
    let v = 0;
    const values = Array.from({ length: RISING_LONG / 2 + 1 }, (_, i) => (v += 1 + ((i * 7) % 5)));
    expect(inferRising(seen(values)).fields).toContain('f');
    expect(inferRising(seen(values.slice(0, -2))).fields).not.toContain('f');
  });

  it('one step back, anywhere, and it is not', () => {
    expect(inferRising(seen([1, 2, 3, 4, 3, 5, 6])).fields).not.toContain('f');
  });

  it('a counter unit: most steps one unit, the rest whole multiples of it', () => {
    expect(counterUnit([2, 2, 4, 2])).toBe(2);
    expect(counterUnit([0.5, 0.5, 1.5])).toBe(0.5);
    expect(counterUnit([1, 3, 1, 7, 4])).toBeUndefined(); // whole multiples, but not mostly one unit
    expect(counterUnit([2, 3, 2, 2])).toBeUndefined(); // 3 is no multiple of 2
  });
});
