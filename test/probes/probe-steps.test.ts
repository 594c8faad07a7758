import { describe, expect, it } from 'vitest';
import { doublingWindow, judgeDoubling, judgeStopped, stopWindow } from '../../src/engine/probe-steps.js';

const I = 2000;
const S = 500;
const T = 1_730_000_000_000;
/** Arrivals at these ms after T, stamped `lag` ms before they came. */
const at = (offsets: number[], lag = 5) => offsets.map((d) => ({ at: T + d, timestamp: T + d - lag }));

describe('the probe windows', () => {
  it('count the second subscribe from one interval + slack, for two intervals; the unsubscribe for one after the stragglers', () => {
    expect(doublingWindow(I, S)).toEqual({ fromMs: 2500, toMs: 6500 });
    expect(stopWindow(I, S)).toEqual({ fromMs: 2500, toMs: 4500 });
  });
});

describe('judgeDoubling', () => {
  it('passes one stream, and says what it counted, where and against what', () => {
    const j = judgeDoubling(at([300, 2300, 4300, 6300]), T, I, S, 'block_update');
    expect(j).toMatchObject({ pass: true, outcome: 'single', count: 2, expected: 2, minGapMs: 2000 });
    expect(j.detail).toBe('2 block_update from 2.5 s to 6.5 s after the second subscribe, where one stream sends 2 in those 4.0 s '
      + '(one per 2.0 s; 3 with one on each edge), smallest gap 2.0 s (server timestamps): not doubled');
  });

  it('does not read a snapshot on subscribe as doubling: it comes before the counted window, and is named', () => {
    // the snapshot carries the latest tick again (an old timestamp), then the stream goes on
    const snapshot = { at: T + 4, timestamp: T - 1700 };
    const j = judgeDoubling([snapshot, ...at([300, 2300, 4300, 6300])], T, I, S, 'block_update', { count: 2, snapshotAfterMs: 2 });
    expect(j.outcome).toBe('single');
    expect(j.detail).toMatch(/: not doubled; not counted: 2 before 2\.5 s, one a snapshot on subscribe 2 ms after the confirmation$/);
  });

  it('fails two streams 8 ms apart (the Phase 3A server: a second thread, snapshot each), as two per interval', () => {
    const j = judgeDoubling(at([1, 9, 2002, 2010, 4003, 4011, 6004, 6012]), T, I, S, 'block_update', { count: 4, snapshotAfterMs: 1 });
    expect(j).toMatchObject({ pass: false, outcome: 'doubled', count: 4, minGapMs: 8 });
    expect(j.detail).toBe('4 block_update from 2.5 s to 6.5 s after the second subscribe, where one stream sends 2 in those 4.0 s '
      + '(one per 2.0 s; 3 with one on each edge): two per interval, smallest gap 8 ms (server timestamps): the stream doubled; '
      + 'not counted: 4 before 2.5 s, one a snapshot on subscribe 1 ms after the confirmation');
  });

  it('fails a second stream that starts one interval late, at any phase, even half a period off', () => {
    // the legacy simulator: the new stream's first message after I + a few ms of work
    expect(judgeDoubling(at([1000, 2007, 3000, 4014, 5000, 6021]), T, I, S, 'x').outcome).toBe('doubled');
    expect(judgeDoubling(at([1500, 2007, 3500, 4014, 5500, 6021]), T, I, S, 'x').outcome).toBe('doubled');
  });

  it('passes a subscribe that restarted the one stream at a new phase', () => {
    expect(judgeDoubling(at([300, 1200, 3200, 5200]), T, I, S, 'x').outcome).toBe('single');
  });

  it('fails an empty window: the stream stopped', () => {
    const j = judgeDoubling(at([300]), T, I, S, 'block_update', { count: 1 });
    expect(j).toMatchObject({ pass: false, outcome: 'stopped', count: 0 });
    expect(j.detail).toBe('no block_update from 2.5 s to 6.5 s after the second subscribe, where one stream sends 2 in those 4.0 s '
      + '(one per 2.0 s; 3 with one on each edge): the stream stopped; not counted: 1 before 2.5 s');
  });

  it('counts on receive times, gaps on server timestamps when every message has one', () => {
    const bunched = [{ at: T + 4000, timestamp: T + 3000 }, { at: T + 4010, timestamp: T + 5000 }];
    expect(judgeDoubling(bunched, T, I, S, 'x').minGapMs).toBe(2000);
    const j = judgeDoubling(bunched.map((a) => ({ at: a.at })), T, I, S, 'x');
    expect(j.minGapMs).toBe(10);
    expect(j.detail).toMatch(/smallest gap 10 ms \(receive times\): not doubled$/);
  });
});

describe('judgeStopped', () => {
  it('allows stragglers within one interval + slack, and says so', () => {
    const j = judgeStopped(at([300, 2499]), T, I, S, 'block_update');
    expect(j).toMatchObject({ pass: true, stragglers: 2, late: 0 });
    expect(j.detail).toBe('no block_update from 2.5 s to 4.5 s after the unsubscribe: the channel stopped (2 before 2.5 s, within one interval + slack: allowed)');
    expect(judgeStopped([], T, I, S, 'block_update').detail).toBe('no block_update from 2.5 s to 4.5 s after the unsubscribe: the channel stopped');
  });

  it('fails a channel that kept streaming, counting only its own window', () => {
    const j = judgeStopped(at([300, 2700, 4300, 4600, 6300]), T, I, S, 'block_update');
    expect(j).toMatchObject({ pass: false, stragglers: 1, late: 2 });
    expect(j.detail).toBe('2 block_update from 2.5 s to 4.5 s after the unsubscribe (first at 2.7 s), where a stopped channel sends none: '
      + 'the channel kept streaming (1 before 2.5 s, within one interval + slack: allowed)');
  });
});
