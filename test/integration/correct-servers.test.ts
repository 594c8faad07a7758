import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { failing, runAgainstSimulator, statusOf, why } from '../helpers/run.js';

/**
 * Servers that are correct in ways the spec leaves open, as the real Phase
 * 3A server is (protocol.md, "What the real Phase 3A server does"): a
 * snapshot on subscribe, per-client phases, a confirmation of a channel
 * that does not exist. Each passes (what is worth a person's eye is an
 * advisory); the legacy server under the same run still fails.
 */

/** The default profile with no channel allowed a snapshot on subscribe. */
function profileWithoutSnapshots(): string {
  const text = readFileSync(new URL('../../profiles/aurigraph-v11.yaml', import.meta.url), 'utf8');
  const file = join(mkdtempSync(join(tmpdir(), 'lsb-no-snapshot-')), 'no-snapshot.yaml');
  writeFileSync(file, text.replace(/^\s*snapshotOnSubscribe: true\n/gm, '').replace('name: aurigraph-v11', 'name: no-snapshots'));
  return file;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe.concurrent('correct servers pass', () => {
  it('snapshot: the latest data at once on subscribe and after the welcome is the start of the stream', async () => {
    const r = await runAgainstSimulator({ faults: ['snapshot'] });
    expect(failing(r), why(r)).toEqual([]);
    expect(statusOf(r).cadence).toBe('pass');
    expect(statusOf(r).data_loss).toBe('pass');
    expect(sum(r.metrics.channels.map((c) => c.duplicates))).toBe(0);
    expect(sum(r.metrics.channels.map((c) => c.lost))).toBe(0);
    // the snapshot came at once: every channel's first message within a few hundred ms of its start
    for (const c of r.metrics.channels) expect(c.firstMessageMs.p99, c.channel).toBeLessThan(300);
  });

  it('phase=per-client: each client ticking at its own phase is on cadence', async () => {
    const r = await runAgainstSimulator({ faults: ['phase=per-client'] });
    expect(failing(r), why(r)).toEqual([]);
    expect(statusOf(r).cadence).toBe('pass');
    expect(statusOf(r).data_consistency).toBe('pass');
    // the phases differ: first messages spread over the interval, not all on the grid
    const blocks = r.metrics.channels.find((c) => c.channel === 'block_updates')!;
    expect(blocks.firstMessageMs.max - blocks.firstMessageMs.min).toBeGreaterThan(200);
  });

  it('snapshot against a profile that does not allow one: the short first gap is judged as before', async () => {
    const profile = profileWithoutSnapshots();
    const r = await runAgainstSimulator({ faults: ['snapshot'], profile }, { profile });
    expect(failing(r), why(r)).toContain('cadence');
  });
});

/** The real server's correct habits at once: snapshot, per-client phases, unknown channels confirmed. */
const LIKE_THE_REAL_SERVER = ['snapshot', 'phase=per-client', 'confirm-unknown'];

describe.concurrent('a server like the real one, with the probes', () => {
  it('passes, with unknown_channel listed as an advisory and error_handling passed', async () => {
    const r = await runAgainstSimulator({ faults: LIKE_THE_REAL_SERVER }, { probes: true });
    expect(failing(r), r.criteria.filter((c) => c.status === 'fail').map((c) => c.detail).join('; ')).toEqual([]);
    expect(r.verdict).toBe('pass');
    for (const id of ['cadence', 'data_consistency', 'subscriptions', 'error_handling', 'data_loss']) expect(statusOf(r)[id], id).toBe('pass');
    expect(r.advisories.map((a) => a.id)).toContain('unknown_channel');
    expect(r.advisories.find((a) => a.id === 'unknown_channel')!.promoted).toBeUndefined();
  });

  it('failOn: [unknown_channel] makes the same run fail on the advisory alone', async () => {
    const r = await runAgainstSimulator({ faults: LIKE_THE_REAL_SERVER }, { probes: true, failOn: ['unknown_channel'] });
    expect(failing(r), why(r)).toEqual([]);
    expect(r.verdict).toBe('fail');
    expect(r.verdictReason).toMatch(/advisory promoted by failOn: unknown_channel/);
    expect(r.advisories.find((a) => a.id === 'unknown_channel')!.promoted).toBe(true);
  });

  it('the clean simulator shows no unknown_channel advisory', async () => {
    const r = await runAgainstSimulator({}, { probes: true });
    expect(r.verdict).toBe('pass');
    expect(r.advisories.map((a) => a.id)).not.toContain('unknown_channel');
  });

  it('the legacy server under the same run still fails data_consistency and subscriptions', async () => {
    const r = await runAgainstSimulator({ faults: ['legacy'] }, { probes: true });
    expect(failing(r), why(r)).toEqual(expect.arrayContaining(['data_consistency', 'subscriptions']));
    expect(r.verdict).toBe('fail');
  });
});

// the legacy server through the bin is test/cli/run-cli.test.ts's
describe.concurrent('the bin against a server like the real one', () => {
  it('exits 0 and lists the advisory on the terminal and in every report', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lsb-advisory-'));
    const faults = LIKE_THE_REAL_SERVER.flatMap((f) => ['--sim-fault', f]);
    const r = await runCli(['--clients', '10', '--duration', '5s', '--ramp', '300ms', '--chaos', 'off', ...faults, '--out', out]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/advisory unknown_channel: /);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { advisories: { id: string; detail: string }[] };
    expect(report.advisories.map((a) => a.id)).toContain('unknown_channel');
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(/### Advisories[\s\S]*`unknown_channel`/);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toMatch(/<property name="advisory.unknown_channel" value="[^"]+"\/>/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/<section id="advisories">.*<code>unknown_channel<\/code>/);
    void BIN;
  }, 60_000);

  it('--fail-on unknown_channel: the same run exits 1 on the advisory', async () => {
    const faults = LIKE_THE_REAL_SERVER.flatMap((f) => ['--sim-fault', f]);
    const r = await runCli(['--clients', '10', '--duration', '3s', '--ramp', '300ms', '--chaos', 'off', ...faults, '--fail-on', 'unknown_channel', '--json', '--format', 'json', '--out', mkdtempSync(join(tmpdir(), 'lsb-fail-on-'))]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { verdictReason: string; criteria: { status: string }[]; advisories: { id: string; promoted?: boolean }[] };
    expect(report.criteria.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.verdictReason).toMatch(/advisory promoted by failOn: unknown_channel/);
    expect(report.advisories.find((a) => a.id === 'unknown_channel')?.promoted).toBe(true);
  }, 60_000);
});

describe.concurrent('advisories against the simulator', () => {
  it('frame_size: the simulator sends the sizes the real server does, under half the plan for two channels; the run still passes', async () => {
    const r = await runAgainstSimulator({}, { durationMs: 4000 });
    expect(r.verdict).toBe('pass');
    const a = r.advisories.find((x) => x.id === 'frame_size');
    expect(a?.detail).toMatch(/tps_updates mean \d+ B, under half the planned 300 B/);
  });

  it('late_first_message: messages 1.2 s late put the first tps_update past the planned 1.1 s', async () => {
    const r = await runAgainstSimulator({ faults: ['latency=1200ms'] }, { durationMs: 4000 });
    expect(r.advisories.find((x) => x.id === 'late_first_message')?.detail).toMatch(/^first tps_update at p99 \d+ ms from the start of the connect, planned by 1100 ms/);
    expect(r.advisories.map((x) => x.id)).not.toContain('late_welcome');
  });
});
