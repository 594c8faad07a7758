import { describe, expect, it } from 'vitest';
import { backoffDelay, backoffSchedule, DEFAULT_POLICY, POLICY_PRESETS, PORTAL_POLICY, WEBSOCKET_SERVICE_POLICY } from '../../src/scenario/backoff.js';
import { estimateOffset } from '../../src/engine/clock.js';

describe('estimateOffset', () => {
  it('takes the midpoint of the lowest-RTT exchange', () => {
    const e = estimateOffset([
      { sentMs: 0, receivedMs: 100, serverMs: 4080 }, // slow, asymmetric
      { sentMs: 1000, receivedMs: 1010, serverMs: 5005 },
      { sentMs: 2000, receivedMs: 2040, serverMs: 6030 },
    ]);
    expect(e?.offsetMs).toBe(4000);
    expect(e?.rttMs).toBe(10);
    expect(e?.errorMs).toBe(5.5);
    expect(e?.samples).toBe(3);
  });
  it('handles a server clock behind ours', () => {
    expect(estimateOffset([{ sentMs: 10_000, receivedMs: 10_002, serverMs: 7001 }])?.offsetMs).toBe(-3000);
  });
  it('gives nothing without usable samples', () => {
    expect(estimateOffset([])).toBeUndefined();
    expect(estimateOffset([{ sentMs: 5, receivedMs: 4, serverMs: 1 }])).toBeUndefined();
  });
});

describe('backoff', () => {
  it('follows the default policy: 1 s, x2, cap 10 s, 5 attempts', () => {
    expect(backoffSchedule(DEFAULT_POLICY)).toEqual([1000, 2000, 4000, 8000, 10_000]);
  });
  it("follows the Phase 3 portal's api.ts: 3000 x 2^(n-1) ms, 5 attempts, no cap reached", () => {
    expect(backoffSchedule(PORTAL_POLICY)).toEqual([3000, 6000, 12_000, 24_000, 48_000]);
    expect(POLICY_PRESETS.portal).toBe(PORTAL_POLICY);
  });
  it("keeps the second frontend's websocketService.ts policy as websocket-service (and portal-v2): 5 s, x2, cap 160 s, 10 attempts", () => {
    const schedule = [5000, 10_000, 20_000, 40_000, 80_000, 160_000, 160_000, 160_000, 160_000, 160_000];
    expect(backoffSchedule(WEBSOCKET_SERVICE_POLICY)).toEqual(schedule);
    expect(backoffSchedule(POLICY_PRESETS['websocket-service'])).toEqual(schedule);
    expect(backoffSchedule(POLICY_PRESETS['portal-v2'])).toEqual(schedule);
  });
  it('draws jitter below the nominal delay', () => {
    const p = { ...DEFAULT_POLICY, jitter: 0.5 };
    expect(backoffDelay(p, 2, () => 0)).toBe(4000);
    expect(backoffDelay(p, 2, () => 1)).toBe(2000);
    expect(backoffDelay(p, 5, () => 0)).toBeUndefined();
  });
});
