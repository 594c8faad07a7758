import { describe, expect, it } from 'vitest';
import { failing, runAgainstSimulator, statusOf, why } from '../helpers/run.js';

/**
 * The load run against each simulator fault: the criterion the fault breaks
 * fails, and every other measured criterion holds. Runs concurrently: each
 * is a few seconds of 10 clients on loopback.
 */
describe.concurrent('the load run catches each fault', () => {
  it('passes every measured criterion against the clean simulator', async () => {
    const r = await runAgainstSimulator({});
    expect(failing(r), why(r)).toEqual([]);
    expect(r.verdict).toBe('pass');
    const s = statusOf(r);
    for (const id of ['connect', 'handshake', 'message_types', 'cadence', 'data_consistency', 'latency', 'bandwidth', 'concurrency', 'unintended_disconnects', 'data_loss', 'uptime']) {
      expect(s[id], id).toBe('pass');
    }
    expect(r.metrics.channels.every((c) => c.received > 0)).toBe(true);
  });

  it('drop: data_loss fails, cadence holds', async () => {
    // without the 5 s channel: one dropped message there would leave a client
    // of a 6 s run with none at all, which message_types rightly flags
    const r = await runAgainstSimulator({ faults: ['drop=5%'] }, { channels: ['tps_updates', 'block_updates', 'network_status'] });
    expect(failing(r), why(r)).toEqual(['data_loss']);
    expect(r.metrics.channels.reduce((a, c) => a + c.lost, 0)).toBeGreaterThan(0);
  });

  it('latency: latency fails, loss and cadence hold', async () => {
    const r = await runAgainstSimulator({ faults: ['latency=600ms'] });
    expect(failing(r), why(r)).toEqual(['latency']);
    expect(r.metrics.latencyMs.p50).toBeGreaterThanOrEqual(590);
  });

  it('drift: cadence fails, nothing is counted lost', async () => {
    const r = await runAgainstSimulator({ faults: ['drift=+15%'] });
    expect(failing(r), why(r)).toEqual(['cadence']);
  });

  // retried once by name: the stall starts 2 s into the simulator's life; on a busy machine the clients can reach
  // the steady phase after it, never see a tps_update there, and message_types fails too (a fresh clone's suite, once)
  it('stall: cadence and data_loss fail on the stalled channel only', { retry: 1 }, async () => {
    const r = await runAgainstSimulator({ faults: ['stall=tps_updates@2s'] }, { durationMs: 7000 });
    expect(failing(r), why(r)).toEqual(['cadence', 'data_loss']);
    const tps = r.metrics.channels.find((c) => c.channel === 'tps_updates')!;
    expect(tps.cadenceOff).toBeGreaterThan(0);
    expect(tps.lost).toBeGreaterThan(0);
    for (const c of r.metrics.channels.filter((c) => c.channel !== 'tps_updates')) expect(c.lost, c.channel).toBe(0);
  });

  it('stall from the start: a channel that delivers nothing fails cadence, it is not too short to judge', async () => {
    // validator_metrics comes every 5 s: silent for over 10 s of the steady phase
    const r = await runAgainstSimulator({ faults: ['stall=validator_metrics'] }, { clients: 4, minClients: 4, durationMs: 11_000 });
    const cadence = r.criteria.find((c) => c.id === 'cadence')!;
    expect(cadence.status).toBe('fail');
    expect(cadence.detail).toContain('validator_metrics silent (0 received');
    expect(r.metrics.channels.find((c) => c.channel === 'validator_metrics')!.received).toBe(0);
    expect(r.verdict).toBe('fail');
  });

  it('disconnect: unintended_disconnects fails with the close code', async () => {
    const r = await runAgainstSimulator({ faults: ['disconnect=3s:4002'] });
    // clients away while reconnecting are not held and not streaming
    expect(failing(r), why(r)).toEqual(['concurrency', 'unintended_disconnects', 'uptime']);
    expect(r.metrics.disconnects.byCode['4002']).toBeGreaterThan(0);
    expect(r.metrics.reconnect.reconnected).toBeGreaterThan(0); // the clients came back under the policy
  });

  it('socket-down: connect fails, and what no connection carried is skipped, not passed', async () => {
    const r = await runAgainstSimulator({ faults: ['socket-down'] }, { durationMs: 2000 });
    expect(failing(r), why(r)).toEqual(['connect', 'concurrency', 'uptime']);
    expect(statusOf(r).message_types).toBe('skipped');
    expect(statusOf(r).data_loss).toBe('skipped');
    expect(r.metrics.connectErrors.http_503).toBeGreaterThan(0);
    expect(r.verdict).toBe('fail');
  });

  it('max-connections: connect fails for the clients past the cap', async () => {
    const r = await runAgainstSimulator({ faults: ['max-connections=6'] }, { durationMs: 2000 });
    expect(failing(r), why(r)).toEqual(['connect', 'concurrency', 'uptime']);
    expect(r.metrics.clients.failedFirstTry).toBeGreaterThanOrEqual(4);
  });

  // retried once by name: CI (stop 21) once failed cadence beside the two expected, with no detail kept, while 14
  // more runs shared the process; 40 runs here under load did not repeat it. The assertion now says every
  // criterion's detail, so the next failure says which channel and gap.
  it('malformed: message_types fails', { retry: 1 }, async () => {
    const r = await runAgainstSimulator({ faults: ['malformed=5%'] });
    // a malformed frame stands in for a real message, which is then missing
    expect(failing(r), why(r)).toEqual(['message_types', 'data_loss']);
    expect(r.metrics.violations.invalid_json).toBeGreaterThan(0);
  });

  it('duplicate: data_loss fails on duplicates, nothing lost', async () => {
    const r = await runAgainstSimulator({ faults: ['duplicate=5%'] });
    expect(failing(r), why(r)).toEqual(['data_loss']);
    expect(r.metrics.channels.reduce((a, c) => a + c.duplicates, 0)).toBeGreaterThan(0);
    expect(r.metrics.channels.reduce((a, c) => a + c.lost, 0)).toBe(0);
  });

  it('oversize: bandwidth fails', async () => {
    const r = await runAgainstSimulator({ faults: ['oversize=10%:8KiB'] });
    expect(failing(r), why(r)).toEqual(['bandwidth']);
  });

  it('legacy: data_consistency fails on a stuck block height and values drawn per client', async () => {
    const r = await runAgainstSimulator({ faults: ['legacy'] });
    expect(failing(r), why(r)).toContain('data_consistency');
    expect(r.metrics.violations.value_stuck).toBeGreaterThan(0);
    expect(r.metrics.violations.values_per_client).toBeGreaterThan(0);
    expect(r.metrics.violations.invariant_broken).toBeGreaterThan(0); // currentTPS above peakTPS
    // each root cause names its field, the values and the clients, with its count
    const detail = r.criteria.find((c) => c.id === 'data_consistency')!.detail;
    // its example is the first sighting: two clients apart on one tick when they saw the same stamp, else a window's three versions
    expect(detail).toMatch(
      /tps_update currentTPS: (3 versions in the 1000 ms window from ts \d+: client \d+ saw \d+, client \d+ saw \d+, client \d+ saw \d+|client \d+ saw \d+, client \d+ saw \d+ at ts \d+) \(.*values_per_client: \d+ window\(s\) with 3\+ versions of it\)/,
    );
    expect(detail).toMatch(/block_update blockHeight stuck at 12345 \(value_stuck: \d+ time\(s\)\)/);
    expect(detail).toContain('currentTPS <= peakTPS');
  });
});

describe('chaos', () => {
  it('cuts connections on purpose; they come back under the policy and nothing else is blamed', async () => {
    const r = await runAgainstSimulator({}, { clients: 20, durationMs: 8000, chaos: { cutShare: 0.2, mode: 'both', atMs: 1000 } });
    expect(failing(r), why(r)).toEqual([]);
    const rc = r.metrics.reconnect;
    expect(rc.cuts).toBe(4);
    expect(rc.cutsByMode).toEqual({ close: 2, abrupt: 2 });
    expect(rc.cutBack).toBe(4);
    expect(statusOf(r).reconnect).toBe('pass');
    expect(r.metrics.disconnects.unintended).toBe(0);
    expect(r.metrics.clients.held).toBe(20);
    // the policy waits 1 s before the first retry
    expect(rc.cutReopenMs.min).toBeGreaterThanOrEqual(1000);
  });

  it('fails reconnect when the target refuses the cut clients', async () => {
    // the cap admits the 10 clients; a cut frees a slot, but socket-down set
    // after the cut refuses every return
    const { startSimulator } = await import('../../src/simulator/index.js');
    const { startRun } = await import('../../src/engine/run.js');
    const { defaultSettings } = await import('../../src/scenario/settings.js');
    const { buildReport } = await import('../../src/verdict/report.js');
    const sim = await startSimulator({ port: 0 });
    try {
      const run = startRun(defaultSettings({ target: sim.url, clients: 10, rampMs: 0, durationMs: 7000, chaos: { cutShare: 0.2, mode: 'close', atMs: 500 }, policy: { initialMs: 1000, factor: 1, maxMs: 1000, maxAttempts: 3, jitter: 0 } }));
      run.on('tick', (p) => {
        if (p.phase === 'steady' && p.open < 10) sim.setFaults(['socket-down']);
      });
      const r = buildReport(await run.result);
      expect(statusOf(r).reconnect).toBe('fail');
      expect(r.metrics.reconnect.cutBack).toBe(0);
    } finally {
      await sim.close();
    }
  });
});
