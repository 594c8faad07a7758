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

const shardName = (r: Report) => `${(r.settings.shard?.index ?? 0) + 1}/${r.settings.shard?.count ?? 1}`;
const targetName = (r: Report) => (r.target.embedded ? `its own embedded simulator at ${r.target.url}` : r.target.url);
const clock = (iso: string) => iso.slice(11, 19);

/**
 * Why the shards given cannot be parts of one run that was judged as a
 * whole, though each may be sound: they ran against different targets, or
 * at different times (no moment in every shard's steady phase). Empty when
 * they could have run together.
 *   shard 1 steady 12:00:00-12:00:30, shard 2 12:00:10-12:00:40 -> together (12:00:10-12:00:30)
 *   shard 1 steady 12:00:00-12:00:30, shard 2 12:00:41-12:01:11 -> apart
 */
export function apartReasons(reports: readonly Report[]): string[] {
  const reasons: string[] = [];
  if (new Set(reports.map(targetName)).size > 1) {
    reasons.push(`the shards ran against different targets (${reports.map((r) => `shard ${shardName(r)}: ${targetName(r)}`).join(', ')})`);
  }
  const latestStart = Math.max(...reports.map((r) => Date.parse(r.steady.start)));
  const earliestEnd = Math.min(...reports.map((r) => Date.parse(r.steady.end)));
  if (reports.length > 1 && !(earliestEnd > latestStart)) {
    reasons.push(`the shards never ran together: no common steady window (${reports.map((r) => `shard ${shardName(r)} steady ${clock(r.steady.start)}-${clock(r.steady.end)} UTC`).join(', ')})`);
  }
  return reasons;
}

/**
 * Merges the reports of the shards of one run (`--shard i/n` on n machines)
 * into the report of the whole: their snapshots merge exactly (histograms
 * and counters, not averages of percentiles; probes, resources and fallback
 * polls from every shard), and the criteria are judged again on the whole.
 * Refuses reports that cannot be parts of one run. With shards missing, or
 * shards that never ran together (apartReasons), the verdict is
 * `inconclusive`, saying why: a part is not the whole, nor are two runs.
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
    strict: reports.some((r) => r.settings.strict === true),
    policy: s.reconnectPolicy,
    simulatorFaults: s.simulatorFaults,
    stages: s.stages,
    chaos: s.chaos,
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
  const apart = apartReasons(reports);
  if (missing.length === 0 && apart.length === 0) return merged;
  const why = [
    ...(missing.length > 0 ? [`shard(s) ${missing.join(', ')} missing (merged ${reports.length} of ${total}): the whole run cannot be judged without them`] : []),
    ...apart.map((a) => `${a}: they are not one run, and their sum is no whole`),
  ];
  return { ...merged, verdict: 'inconclusive', verdictReason: `${why.join('; ')}; on the shards merged: ${merged.verdictReason}` };
}
