import type { RunResult } from '../engine/run.js';
import { usageError } from '../errors.js';
import { mergeAll, SNAPSHOT_VERSION, upgradeSnapshot, type MetricsSnapshot, type SnapshotV1 } from '../metrics/snapshot.js';
import { defaultSettings } from '../scenario/settings.js';
import { buildReport, type Report } from './report.js';

/**
 * A shard's snapshot in the current form. A report.json of snapshot
 * version 1 kept probes, resources, fallback, health and clock beside its
 * snapshot; they are taken from there.
 */
function shardSnapshot(r: Report, i: number): MetricsSnapshot {
  const snapshot = r.snapshot as MetricsSnapshot | SnapshotV1 | undefined;
  const version: unknown = snapshot?.version;
  if (!snapshot || (version !== 1 && version !== SNAPSHOT_VERSION)) {
    throw usageError(`report ${i + 1} has no snapshot this version reads (snapshot version ${JSON.stringify(version)}; reads 1 and ${SNAPSHOT_VERSION})`);
  }
  return upgradeSnapshot(snapshot, {
    probes: r.probes,
    resources: r.resources ? [r.resources] : undefined,
    fallback: r.fallback,
    health: r.harness,
    clock: r.clock ?? undefined,
  });
}

/**
 * Merges the reports of the shards of one run (`--shard i/n` on n machines)
 * into the report of the whole: their snapshots merge exactly (histograms
 * and counters, not averages of percentiles; probes, resources and fallback
 * polls from every shard), and the criteria are judged again on the whole.
 * Refuses reports that cannot be parts of one run. With shards missing the
 * verdict is `inconclusive`, naming them: a part is not the whole.
 */
export function mergeReports(reports: readonly Report[]): Report {
  if (reports.length === 0) throw usageError('merge needs at least one report');
  const first = reports[0];
  const problems: string[] = [];
  const seen = new Set<number>();
  for (const [i, r] of reports.entries()) {
    const shard = r.settings.shard ?? { index: 0, count: 1 };
    if (r.target.profile !== first.target.profile) problems.push(`report ${i + 1} is of profile ${r.target.profile}, not ${first.target.profile}`);
    if (shard.count !== (first.settings.shard?.count ?? 1)) problems.push(`report ${i + 1} is shard ${shard.index + 1}/${shard.count}, not of ${first.settings.shard?.count ?? 1} shards`);
    if (seen.has(shard.index)) problems.push(`shard ${shard.index + 1}/${shard.count} is given twice; merging it twice would count its clients twice`);
    seen.add(shard.index);
  }
  if (problems.length > 0) throw usageError(problems.join('; '));

  const total = first.settings.shard?.count ?? 1;
  const missing = Array.from({ length: total }, (_, i) => i).filter((i) => !seen.has(i)).map((i) => `${i + 1}/${total}`);
  const snapshot = mergeAll(reports.map(shardSnapshot));
  const ms = (iso: string) => Date.parse(iso);
  const s = first.settings;
  const settings = defaultSettings({
    profile: first.target.profile,
    clients: reports.reduce((a, r) => a + r.metrics.clients.planned, 0),
    durationMs: s.durationMs,
    rampMs: s.rampMs,
    channels: s.channels,
    connectTimeoutMs: s.connectTimeoutMs,
    minClients: s.minClients,
    policy: s.reconnectPolicy,
    simulatorFaults: s.simulatorFaults,
    stages: s.stages,
    chaos: s.chaos,
    failOn: s.failOn,
  });
  const run: RunResult = {
    settings,
    target: { url: first.target.url, embedded: first.target.embedded, ...(first.target.nice !== undefined ? { nice: first.target.nice } : {}) },
    startedAt: Math.min(...reports.map((r) => ms(r.startedAt))),
    endedAt: Math.max(...reports.map((r) => ms(r.endedAt))),
    // shards on different machines start at different moments: the whole
    // has the steady length they share, each shard judged in its own window
    steadyStartMs: ms(first.steady.start),
    steadyEndMs: ms(first.steady.start) + Math.min(...reports.map((r) => r.steady.ms)),
    snapshot,
    interrupted: reports.some((r) => r.interrupted),
    workers: reports.reduce((a, r) => a + (r.settings.workers ?? 1), 0),
    shard: { index: 0, count: 1 },
  };
  const merged = buildReport(run, first.thresholds);
  if (missing.length === 0) return merged;
  return {
    ...merged,
    verdict: 'inconclusive',
    verdictReason: `shard(s) ${missing.join(', ')} missing (merged ${reports.length} of ${total}): the whole run cannot be judged without them; on the shards merged: ${merged.verdictReason}`,
  };
}
