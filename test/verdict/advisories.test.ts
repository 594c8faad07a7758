import { describe, expect, it } from 'vitest';
import { Recorder } from '../../src/metrics/recorder.js';
import type { MetricsSnapshot } from '../../src/metrics/snapshot.js';
import type { ProbeReport } from '../../src/metrics/probe-results.js';
import type { TargetProfile } from '../../src/profile/index.js';
import { ADVISORY_IDS } from '../../src/scenario/advisory-ids.js';
import { ADVISORY_RULES, findAdvisories, withPromoted } from '../../src/verdict/advisories/index.js';
import { summarizeMetrics } from '../../src/verdict/summary.js';
import { aurigraphV11 } from '../helpers/profiles.js';

/** The advisory rules, each on figures written here: found when the run shows it, silent otherwise. */
const channels = aurigraphV11.channels.map((c) => c.channel);

function find(fill: (r: Recorder) => void, extra: Partial<MetricsSnapshot> = {}, profile: TargetProfile = aurigraphV11) {
  const r = new Recorder();
  fill(r);
  const snapshot = { ...r.snapshot(), ...extra };
  return findAdvisories({ metrics: summarizeMetrics(snapshot, profile, channels), snapshot, profile });
}
const ids = (a: { id: string }[]) => a.map((x) => x.id);

/** 10 connections: connect 3 ms, welcome 5 ms and the first tps_update `firstMs` after the connect began. */
function connections(r: Recorder, firstMs: number, welcomeMs = 5) {
  for (let i = 0; i < 10; i++) {
    r.observe('connect_us', 3000);
    r.observe('timeline_welcome_us', welcomeMs * 1000);
    r.observe('timeline_first_us', firstMs * 1000);
  }
}

/** Channel messages of `bytes` each, 10 per channel. */
function sized(r: Recorder, bytes: Record<string, number>) {
  for (const [ch, b] of Object.entries(bytes)) {
    r.count(`received:${ch}`, 10);
    r.count(`message_bytes:${ch}`, 10 * b);
  }
}

const onPlan = { tps_updates: 300, block_updates: 200, network_status: 250, validator_metrics: 350 };

describe('advisories', () => {
  it('has one rule per id, in the order of the ids', () => {
    expect(ADVISORY_RULES.map((r) => r.id)).toEqual([...ADVISORY_IDS]);
  });

  it('a run on plan shows none', () => {
    expect(find((r) => (connections(r, 900), sized(r, onPlan)))).toEqual([]);
  });

  it('unknown_channel: from the probe that saw the confirmation', () => {
    const probes = { probes: [{ name: 'unknown_channel', advisory: 'unknown_channel', detail: 'subscription_confirmed for a channel that does not exist after 1 ms' }] } as unknown as ProbeReport;
    const a = find((r) => connections(r, 900), { probes });
    expect(ids(a)).toEqual(['unknown_channel']);
    expect(a[0].detail).toMatch(/confirmed \(subscription_confirmed for a channel that does not exist after 1 ms\)/);
  });

  it('late_welcome and late_first_message: past the planned timeline, on the p99', () => {
    expect(ids(find((r) => connections(r, 1620)))).toEqual(['late_first_message']);
    const a = find((r) => connections(r, 900, 750));
    expect(ids(a)).toEqual(['late_welcome']);
    expect(a[0].detail).toMatch(/welcome at p99 75\d ms, planned by 600 ms/);
  });

  it('a profile without a timeline judges none of it', () => {
    const noPlan: TargetProfile = { ...aurigraphV11, timeline: {} };
    expect(find((r) => connections(r, 5000, 3000), {}, noPlan)).toEqual([]);
  });

  it('frame_size: under half or over twice the planned bytes, naming the channel', () => {
    // the real server's sizes: tps 129 (of 300), block 142, network 139, validator 152 (of 350)
    const a = find((r) => sized(r, { tps_updates: 129, block_updates: 142, network_status: 139, validator_metrics: 152 }));
    expect(ids(a)).toEqual(['frame_size']);
    expect(a[0].detail).toBe('tps_updates mean 129 B, under half the planned 300 B; validator_metrics mean 152 B, under half the planned 350 B');
    expect(find((r) => sized(r, { ...onPlan, block_updates: 410 }))[0].detail).toBe('block_updates mean 410 B, over twice the planned 200 B');
  });

  it('thread_growth: threads that rise with the clients open; skipped without a thread count', () => {
    const t0 = 1_730_000_000;
    const open = [0, 5, 10, 15, 20];
    const fill = (r: Recorder) => open.forEach((n, i) => r.open((t0 + i) * 1000, n));
    const series = (threads: (number | undefined)[]) => ({
      resources: [{ source: 'pid' as const, origin: 'pid 1', intervalMs: 1000, errors: [], errorCount: 0, notes: [], points: threads.map((v, i) => ({ t: (t0 + i) * 1000 + 500, cpuShare: 0, rssBytes: 0, ...(v === undefined ? {} : { threads: v }) })) }],
    });
    const grows = find(fill, series([22, 42, 62, 83, 103]));
    expect(ids(grows)).toEqual(['thread_growth']);
    expect(grows[0].detail).toBe('threads rise 4.1 per client open: 22 at 0 client(s), 103 at 20');
    expect(find(fill, series([40, 41, 41, 41, 41]))).toEqual([]); // a pool
    expect(find(fill, series([undefined, undefined, undefined, undefined, undefined]))).toEqual([]); // no figure
  });

  it('never changes the verdict unless promoted; promoted, it fails a passing run and stays out of an inconclusive one', () => {
    const pass = { verdict: 'pass' as const, reason: 'every measured criterion passed', criteria: [] };
    const found = [{ id: 'frame_size' as const, detail: 'x' }];
    expect(withPromoted(pass, found)).toBe(pass);
    const promoted = [{ id: 'frame_size' as const, detail: 'x', promoted: true as const }];
    expect(withPromoted(pass, promoted)).toMatchObject({ verdict: 'fail', reason: 'failed: advisory promoted by failOn: frame_size' });
    expect(withPromoted({ ...pass, verdict: 'fail', reason: 'failed: latency' }, promoted).reason).toBe('failed: latency; advisory promoted by failOn: frame_size');
    expect(withPromoted({ ...pass, verdict: 'inconclusive' }, promoted).verdict).toBe('inconclusive');
    expect(find((r) => sized(r, { tps_updates: 100 }))[0].promoted).toBeUndefined();
  });
});
