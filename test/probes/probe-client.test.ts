import { describe, expect, it } from 'vitest';
import { runProbes, type ProbeReport } from '../../src/engine/probe-client.js';
import { aurigraphV11 } from '../helpers/profiles.js';
import { startSimulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { judgeProbes } from '../../src/verdict/probes.js';

async function probeSimulator(options: SimulatorOptions): Promise<ProbeReport> {
  const sim = await startSimulator({ port: 0, ...options });
  try {
    return await runProbes(sim.url, {}, sim.profile);
  } finally {
    await sim.close();
  }
}

const failed = (r: ProbeReport) => r.probes.filter((p) => !p.pass).map((p) => p.name);

describe.concurrent('protocol probes against the simulator', () => {
  it('all pass against the clean simulator, within a bounded time', async () => {
    const r = await probeSimulator({});
    expect(failed(r), JSON.stringify(r.probes.filter((p) => !p.pass), null, 1)).toEqual([]);
    expect(r.probes.map((p) => p.name)).toEqual([
      'app_ping', 'ws_ping', 'invalid_json', 'subscribe_without_channel', 'unknown_channel',
      'subscribe', 'second_subscribe', 'unsubscribe', 'resubscribe',
    ]);
    expect(r).toMatchObject({ channel: 'block_updates', intervalMs: 2000, slackMs: 500, connections: 1, interrupted: false });
    expect(r.endedAt - r.startedAt).toBeLessThan(17_000); // each subscription probe waits out its window
    const j = judgeProbes(r);
    expect([j.subscriptions.status, j.error_handling.status, j.keepalive.status]).toEqual(['pass', 'pass', 'pass']);
    const byName = Object.fromEntries(r.probes.map((p) => [p.name, p]));
    expect(byName.invalid_json.received).toMatch(/"type":"error"/);
    expect(byName.invalid_json.detail).toMatch(/Invalid message format/);
    expect(byName.subscribe_without_channel.sent).toBe('{"type":"subscribe"}');
    expect(byName.subscribe_without_channel.detail).toMatch(/Channel not specified/);
    expect(byName.unknown_channel.detail).toMatch(/^error reply/);
    expect(byName.subscribe.received).toMatch(/subscription_confirmed.*block_update/);
  });

  it('against legacy mode, second_subscribe (doubling) and unsubscribe (still streaming) fail', async () => {
    const r = await probeSimulator({ faults: ['legacy'] });
    expect(failed(r)).toEqual(['second_subscribe', 'unsubscribe']);
    const j = judgeProbes(r);
    expect(j.subscriptions.status).toBe('fail');
    expect(j.subscriptions.observed).toBe('2/4 probes pass (failed: second_subscribe, unsubscribe)');
    expect(j.error_handling.status).toBe('pass');
    expect(j.keepalive.status).toBe('pass');
    const byName = Object.fromEntries(r.probes.map((p) => [p.name, p]));
    // the legacy stream's second thread starts one interval late: counted from 2.5 s on, where both run
    expect(byName.second_subscribe.detail).toMatch(/^[4-6] block_update from 2\.5 s to 6\.5 s after the second subscribe, where one stream sends 2 in those 4\.0 s .*: two per interval, .*: the stream doubled/);
    expect(byName.unsubscribe.detail).toMatch(/^[1-4] block_update from 2\.5 s to 4\.5 s after the unsubscribe \(first at .*\), where a stopped channel sends none: the channel kept streaming/);
    expect(byName.unsubscribe.at).toBeGreaterThanOrEqual(byName.second_subscribe.at + byName.second_subscribe.elapsedMs);
  });

  it('fails every probe with the reason when it cannot connect', async () => {
    const r = await probeSimulator({ faults: ['socket-down'] });
    expect(r.connections).toBe(0);
    expect(r.connectError).toMatch(/503/);
    expect(r.probes).toHaveLength(9);
    expect(r.probes.every((p) => !p.pass && /could not connect: .*503/.test(p.detail))).toBe(true);
    const j = judgeProbes(r);
    expect([j.subscriptions.status, j.error_handling.status, j.keepalive.status]).toEqual(['fail', 'fail', 'fail']);
  });

  it('skips what an abort left unrun', async () => {
    const sim = await startSimulator({ port: 0 });
    try {
      const r = await runProbes(sim.url, {}, sim.profile, { signal: AbortSignal.abort() });
      expect(r.interrupted).toBe(true);
      expect(r.connections).toBe(0);
      expect(judgeProbes(r).keepalive.status).toBe('skipped');
    } finally {
      await sim.close();
    }
  });
});

describe('probe channel choice', () => {
  it('skips subscriptions for a profile whose channels all start by themselves', async () => {
    const profile = { ...aurigraphV11, channels: aurigraphV11.channels.map((c) => ({ ...c, autoStart: true })) };
    const sim = await startSimulator({ port: 0, profile });
    try {
      const r = await runProbes(sim.url, {}, profile);
      expect(r.channel).toBeUndefined();
      expect(r.probes.some((p) => p.criterion === 'subscriptions')).toBe(false);
      const j = judgeProbes(r);
      expect(j.subscriptions.status).toBe('skipped');
      expect(j.subscriptions.detail).toBe('the profile has no channel that needs a subscribe');
      expect(j.keepalive.status).toBe('pass');
    } finally {
      await sim.close();
    }
  });
});
