import { combineHealth } from '../engine/health.js';
import type { RunResult } from '../engine/run.js';
import { usageError } from '../errors.js';
import { mergeAll } from '../metrics/snapshot.js';
import { defaultSettings } from '../scenario/settings.js';
import { buildReport, type Report } from './report.js';

/**
 * Merges the reports of the shards of one run (`--shard i/n` on n machines)
 * into the report of the whole: histograms and counters merge exactly (not
 * averages of percentiles), and the criteria are judged again on the whole.
 * Refuses reports that cannot be parts of one run.
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
  const snapshot = mergeAll(reports.map((r) => r.snapshot));
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
    clock: first.clock ?? undefined,
    health: combineHealth(reports.map((r) => r.harness)),
    snapshot,
    interrupted: reports.some((r) => r.interrupted),
    workers: reports.reduce((a, r) => a + (r.settings.workers ?? 1), 0),
    shard: { index: 0, count: 1 },
  };
  // probes, resources and the fallback are measured once, by shard 1
  const lead = reports.find((r) => (r.settings.shard?.index ?? 0) === 0);
  if (lead?.probes) run.probes = lead.probes;
  if (lead?.resources) run.resources = lead.resources;
  if (lead?.fallback) run.fallback = lead.fallback;
  const merged = buildReport(run, first.thresholds);
  if (missing.length > 0) {
    merged.verdictReason = `${merged.verdictReason}; merged ${reports.length} of ${total} shards (missing ${missing.join(', ')})`;
  }
  return merged;
}
