import { describe, expect, it } from 'vitest';
import { chaosProblems, clientsAt, peakClients, stageProblems, stagesTotalMs } from '../../src/scenario/stages.js';

const UP_HOLD_DOWN = [
  { durationMs: 10_000, clients: 100 },
  { durationMs: 60_000, clients: 100 },
  { durationMs: 10_000, clients: 0 },
];

describe('stages', () => {
  it('ramp up, hold, ramp down: the worked example', () => {
    expect([0, 5_000, 10_000, 40_000, 75_000, 80_000, 99_000].map((t) => clientsAt(UP_HOLD_DOWN, t))).toEqual([0, 50, 100, 100, 50, 0, 0]);
    expect(stagesTotalMs(UP_HOLD_DOWN)).toBe(80_000);
    expect(peakClients(UP_HOLD_DOWN)).toBe(100);
  });

  it('a later stage starts from where the previous one ended', () => {
    const steps = [
      { durationMs: 1000, clients: 10 },
      { durationMs: 1000, clients: 30 },
    ];
    expect(clientsAt(steps, 1500)).toBe(20);
    expect(clientsAt(steps, 5000)).toBe(30);
  });

  it('names each bad stage', () => {
    expect(stageProblems([{ durationMs: 0, clients: 5 }, { durationMs: 1000, clients: -1 }])).toEqual([
      'stage 1: duration must be more than 0',
      'stage 2: clients must be a whole number >= 0 (got -1)',
    ]);
    expect(stageProblems([{ durationMs: 1000, clients: 0 }])[0]).toContain('never open a client');
    expect(stageProblems([])).toHaveLength(1);
    expect(stageProblems(UP_HOLD_DOWN)).toEqual([]);
  });

  it('checks chaos', () => {
    expect(chaosProblems({ cutShare: 0.1, mode: 'both' })).toEqual([]);
    expect(chaosProblems({ cutShare: 0, mode: 'both' })).toHaveLength(1);
    expect(chaosProblems({ cutShare: 0.5, mode: 'sometimes' as 'both', everyMs: 0 })).toHaveLength(2);
  });
});
