import { describe, expect, it } from 'vitest';
import { ChannelStream } from '../../src/checks/channel-stream.js';
import { stallCouldExplain } from '../../src/checks/cadence.js';
import { createCheckContext } from '../../src/checks/context.js';
import { NO_STALLS, STALL_LEDGER_CAP, STALL_MIN_MS, STALL_READ_SLACK_MS, StallLedger, stallPollMs } from '../../src/metrics/harness-stalls.js';
import { Recorder } from '../../src/metrics/recorder.js';
import { cadence } from '../../src/verdict/criteria/cadence.js';
import { summarizeMetrics } from '../../src/verdict/summary.js';
import { DEFAULT_THRESHOLDS } from '../../src/verdict/thresholds.js';
import { aurigraphV11 } from '../helpers/profiles.js';

/**
 * A gap off cadence only because the harness's own loop was blocked is not
 * the target's: a message read in or just after a stall may have come any
 * time from its start.
 */
describe('the stall ledger', () => {
  it('answers a read in or just after a stall with its start, any other with the read', () => {
    const l = new StallLedger();
    l.add(1000, 1600);
    l.add(5000, 5100);
    expect(l.arrivedFrom(999)).toBe(999);
    expect(l.arrivedFrom(1300)).toBe(1000);
    expect(l.arrivedFrom(1600 + STALL_READ_SLACK_MS)).toBe(1000);
    expect(l.arrivedFrom(1601 + STALL_READ_SLACK_MS)).toBe(1601 + STALL_READ_SLACK_MS);
    expect(l.arrivedFrom(5050)).toBe(5000);
    expect(NO_STALLS.arrivedFrom(1300)).toBe(1300);
  });

  it('joins a stall that follows the last at once into one', () => {
    const l = new StallLedger();
    l.add(1000, 1200);
    l.add(1205, 1800);
    expect(l.count).toBe(1);
    expect(l.arrivedFrom(1700)).toBe(1000);
  });

  it('stops growing at its cap, and what comes after is read as it came', () => {
    const l = new StallLedger();
    for (let i = 0; i < STALL_LEDGER_CAP + 10; i += 1) l.add(i * 1000, i * 1000 + 100);
    expect(l.count).toBe(STALL_LEDGER_CAP);
    const past = (STALL_LEDGER_CAP + 5) * 1000 + 50;
    expect(l.arrivedFrom(past)).toBe(past);
  });
});

describe('stallCouldExplain', () => {
  const ledger = new StallLedger();
  ledger.add(990, 1600);
  const from = (ms: number) => ledger.arrivedFrom(ms);
  it('excuses the long gap a stall held a read back by, and the short one after it', () => {
    expect(stallCouldExplain(0, 1605, 1, 1000, from)).toBe(true);
    expect(stallCouldExplain(1605, 2000, 1, 1000, from)).toBe(true);
  });
  it('does not excuse a gap with no stall in it', () => {
    expect(stallCouldExplain(0, 1605, 1, 1000, (ms) => ms)).toBe(false);
    expect(stallCouldExplain(3000, 3300, 1, 1000, from)).toBe(false);
  });
  it('does not excuse a gap longer than the stall could make it', () => {
    const late = new StallLedger();
    late.add(5000, 5990);
    expect(stallCouldExplain(0, 6000, 1, 1000, (ms) => late.arrivedFrom(ms))).toBe(false);
  });
  it('judges a gap of lost ticks part by part', () => {
    // two parts of 1302.5 with the read at 2605 standing for one from 1990: 995..1302 each
    const l = new StallLedger();
    l.add(1990, 2600);
    expect(stallCouldExplain(0, 2605, 2, 1000, (ms) => l.arrivedFrom(ms))).toBe(true);
  });
});

describe('a channel stream read through a harness stall', () => {
  const tps = aurigraphV11.channels.find((c) => c.channel === 'tps_updates')!; // every 1 s

  function judge(stalls?: StallLedger) {
    const r = new Recorder();
    const ctx = createCheckContext(aurigraphV11, r);
    if (stalls) ctx.stalls = stalls;
    ctx.steadyEndMs = 7000;
    const s = new ChannelStream(ctx, tps, 0);
    s.start(500);
    // ticks each second; the one stamped 3000 is read at 3605, held back by the harness
    for (let t = 1000; t <= 6000; t += 1000) s.onMessage(t === 3000 ? 3605 : t + 5, { type: tps.messageType, json: true, utf8: true, payload: {}, timestamp: t } as never);
    s.finish(6500);
    const metrics = summarizeMetrics(r.snapshot(), aurigraphV11, ['tps_updates']);
    return cadence.judge({ metrics, thresholds: DEFAULT_THRESHOLDS, planned: 1, minClients: 1, steadyMs: 6000, connectTimeoutMs: 10_000 });
  }

  it('fails cadence when nothing says the harness stalled', () => {
    expect(judge().status).toBe('fail');
  });

  it('passes, and says what it did not judge, when the harness stalled over the late read', () => {
    const l = new StallLedger();
    l.add(2990, 3600);
    const c = judge(l);
    expect(c.status).toBe('pass');
    expect(c.detail).toContain("2 gap(s) read during the harness's own stalls not judged");
  });

  it('still fails when the stall was elsewhere in the run', () => {
    const l = new StallLedger();
    l.add(4100, 4700);
    expect(judge(l).status).toBe('fail');
  });
});

describe('the health monitor', () => {
  it('looks for stalls as often as the fastest channel needs: every stall that can hold a read back half an interval is seen', () => {
    expect(stallPollMs(1000)).toBe(250);
    expect(stallPollMs(200)).toBe(60);
    expect(stallPollMs(100)).toBe(50);
    expect(stallPollMs(Infinity)).toBe(250);
    for (const interval of [200, 500, 1000, 2000, 5000]) expect(stallPollMs(interval) + STALL_MIN_MS, `interval ${interval}`).toBeLessThanOrEqual(interval / 2);
  });

  it('keeps a stall when its own loop is blocked, and reads its delay in the figures', async () => {
    const { HealthMonitor } = await import('../../src/engine/health.js');
    const { wallNow } = await import('../../src/engine/time.js');
    const m = new HealthMonitor();
    m.start();
    // work arrives (a message, say): the delay probe is out while the loop is held
    m.touch();
    // hold the loop for 150 ms
    const blockedAt = wallNow();
    while (wallNow() - blockedAt < 150);
    const readAt = wallNow();
    // the stall is known once the monitor's next tick runs; the probe fires in the same timers phase
    while (m.stalls.count === 0) await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 0));
    const health = m.stop();
    expect(m.stalls.arrivedFrom(readAt)).toBeLessThanOrEqual(blockedAt);
    expect(health.eventLoopMaxMs).toBeGreaterThanOrEqual(150);
  });
});
