import { describe, expect, it } from 'vitest';
import { Recorder } from '../../src/metrics/recorder.js';
import { COUNTERS, COUNTER_FAMILIES, familyOf, HISTOGRAMS, HISTOGRAM_FAMILIES, VIOLATIONS } from '../../src/metrics/names.js';
import { mergeSnapshots, type MetricsSnapshot } from '../../src/metrics/snapshot.js';

/**
 * The names are checked by the compiler: each `@ts-expect-error` below
 * fails `npm run typecheck` the day the misspelt name would compile again.
 * The calls sit in a function that never runs, so the test only types them.
 */
function misspelt(r: Recorder, s: MetricsSnapshot): void {
  // @ts-expect-error a misspelt counter
  r.count('conect_first_ok');
  // @ts-expect-error a misspelt counter family
  r.count('recieved:tps_updates');
  // @ts-expect-error a family without its key is no counter
  r.count('received');
  // @ts-expect-error a misspelt histogram
  r.observe('latency_ms', 1);
  // @ts-expect-error a misspelt histogram family
  r.histogram('gaps_us:tps_updates');
  // @ts-expect-error a misspelt violation kind
  r.sample(0, 'socket_eror', 0, '');
  // @ts-expect-error a misspelt counter read back
  r.counter('disconnect_unintended');
  // @ts-expect-error a misspelt snapshot counter
  void s.counters.sockets_errors;
}
void misspelt;

describe('metric names', () => {
  it('the recorder counts under the checked names, and a snapshot reads them back', () => {
    const r = new Recorder();
    r.count('socket_errors');
    r.count('received:tps_updates', 3);
    r.count('disconnect_code:1006', 2);
    r.observe('gap_us:tps_updates', 1_000_000);
    r.sample(0, 'socket_error', 1, 'ECONNRESET');
    const s = r.snapshot();
    expect(s.counters.socket_errors).toBe(1);
    expect(s.counters['received:tps_updates']).toBe(3);
    expect(s.counters['violation:socket_error']).toBe(1);
    expect(s.histograms['gap_us:tps_updates']).toBeTypeOf('string');
    expect(familyOf(s.counters, 'disconnect_code')).toEqual({ '1006': 2 });
    const twice = mergeSnapshots(s, s);
    expect(twice.counters['received:tps_updates']).toBe(6);
  });

  it('no name is both a counter and a family (or a histogram and a histogram family), and none holds the family colon', () => {
    const all = [...Object.keys(COUNTERS), ...Object.keys(COUNTER_FAMILIES), ...Object.keys(HISTOGRAMS), ...Object.keys(HISTOGRAM_FAMILIES), ...Object.keys(VIOLATIONS)];
    for (const n of all) expect(n).toMatch(/^[a-z][A-Za-z0-9_]*$/);
    const counters = new Set<string>([...Object.keys(COUNTERS), ...Object.keys(COUNTER_FAMILIES)]);
    expect(counters.size).toBe(Object.keys(COUNTERS).length + Object.keys(COUNTER_FAMILIES).length);
    const histograms = new Set<string>([...Object.keys(HISTOGRAMS), ...Object.keys(HISTOGRAM_FAMILIES)]);
    expect(histograms.size).toBe(Object.keys(HISTOGRAMS).length + Object.keys(HISTOGRAM_FAMILIES).length);
  });
});
