import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failing, runAgainstSimulator, statusOf } from '../helpers/run.js';

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
    expect(failing(r)).toEqual([]);
    expect(statusOf(r).cadence).toBe('pass');
    expect(statusOf(r).data_loss).toBe('pass');
    expect(sum(r.metrics.channels.map((c) => c.duplicates))).toBe(0);
    expect(sum(r.metrics.channels.map((c) => c.lost))).toBe(0);
    // the snapshot came at once: every channel's first message within a few hundred ms of its start
    for (const c of r.metrics.channels) expect(c.firstMessageMs.p99, c.channel).toBeLessThan(300);
  });

  it('phase=per-client: each client ticking at its own phase is on cadence', async () => {
    const r = await runAgainstSimulator({ faults: ['phase=per-client'] });
    expect(failing(r)).toEqual([]);
    expect(statusOf(r).cadence).toBe('pass');
    expect(statusOf(r).data_consistency).toBe('pass');
    // the phases differ: first messages spread over the interval, not all on the grid
    const blocks = r.metrics.channels.find((c) => c.channel === 'block_updates')!;
    expect(blocks.firstMessageMs.max - blocks.firstMessageMs.min).toBeGreaterThan(200);
  });

  it('snapshot against a profile that does not allow one: the short first gap is judged as before', async () => {
    const profile = profileWithoutSnapshots();
    const r = await runAgainstSimulator({ faults: ['snapshot'], profile }, { profile });
    expect(failing(r)).toContain('cadence');
  });
});
