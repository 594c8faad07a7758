import { describe, expect, it } from 'vitest';
import { chaosPlan } from '../../src/scenario/chaos-plan.js';
import { loadPlan } from '../../src/scenario/plan.js';

const plan = loadPlan({ clients: 100, rampMs: 5000, durationMs: 30_000 }); // steady 6 s..36 s

describe('chaosPlan', () => {
  it('cuts 10 % of the clients once, a third into the steady phase, spread over the indices', () => {
    const rounds = chaosPlan({ cutShare: 0.1, mode: 'close' }, plan, 5000);
    expect(rounds).toHaveLength(1);
    expect(rounds[0].atMs).toBe(16_000);
    expect(rounds[0].clients).toEqual([5, 15, 25, 35, 45, 55, 65, 75, 85, 95]);
    expect(new Set(rounds[0].modes)).toEqual(new Set(['close']));
  });

  it('alternates close frames and destroyed sockets for both', () => {
    const [round] = chaosPlan({ cutShare: 0.04, mode: 'both' }, plan, 5000);
    expect(round.modes).toEqual(['close', 'abrupt', 'close', 'abrupt']);
  });

  it('repeats every interval while a cut client still has time to come back', () => {
    const rounds = chaosPlan({ cutShare: 0.1, mode: 'drop', atMs: 2000, everyMs: 10_000 }, plan, 5000);
    expect(rounds.map((r) => r.atMs)).toEqual([8000, 18_000, 28_000]);
    expect(rounds[1].clients[0]).toBe(rounds[0].clients[0] + 1);
    expect(rounds.every((r) => r.modes.every((m) => m === 'abrupt'))).toBe(true);
  });

  it('plans nothing when the steady phase is too short to come back', () => {
    const short = loadPlan({ clients: 10, rampMs: 0, durationMs: 3000 });
    expect(chaosPlan({ cutShare: 0.1, mode: 'close' }, short, 5000)).toEqual([]);
  });

  it('cuts at least one client', () => {
    expect(chaosPlan({ cutShare: 0.01, mode: 'close' }, loadPlan({ clients: 10, rampMs: 0, durationMs: 30_000 }), 5000)[0].clients).toHaveLength(1);
  });
});
