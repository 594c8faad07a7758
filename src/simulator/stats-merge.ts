import { lagSummary } from './metrics.js';
import type { ProcessStats } from './simulator.js';

/**
 * One view of a cluster's processes. Counts add up (connections, messages,
 * bytes, closes, what is kept on purpose); ticks do not: every process ticks
 * the same wall-clock schedule, so a tick is counted once (the largest count
 * among the processes, which differ only by a tick in flight). Send lags are
 * pooled from every process's recent ticks.
 *
 * Example: two workers with 3 and 4 connections and 10 ticks each merge to
 * 7 connections and 10 ticks.
 */

function sumMaps(maps: ReadonlyArray<Readonly<Record<string, number>>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of maps) for (const [k, v] of Object.entries(m)) out[k] = (out[k] ?? 0) + v;
  return out;
}

function maxMaps(maps: ReadonlyArray<Readonly<Record<string, number>>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of maps) for (const [k, v] of Object.entries(m)) out[k] = Math.max(out[k] ?? 0, v);
  return out;
}

export function mergeStats(parts: readonly ProcessStats[], lags: readonly number[], faults: readonly string[]): ProcessStats {
  const sum = (pick: (s: ProcessStats) => number): number => parts.reduce((a, s) => a + pick(s), 0);
  const sorted = [...lags].sort((a, b) => a - b);
  return {
    connections: sum((s) => s.connections),
    connectionsTotal: sum((s) => s.connectionsTotal),
    messagesSent: sumMaps(parts.map((s) => s.messagesSent)),
    bytesSent: sumMaps(parts.map((s) => s.bytesSent)),
    slowConsumersDropped: sum((s) => s.slowConsumersDropped),
    disconnects: sumMaps(parts.map((s) => s.disconnects)),
    refusedUpgrades: sumMaps(parts.map((s) => s.refusedUpgrades)),
    ticks: Math.max(0, ...parts.map((s) => s.ticks)),
    ticksByType: maxMaps(parts.map((s) => s.ticksByType)),
    // each process skips on its own, for its own clients
    ticksSkipped: sumMaps(parts.map((s) => s.ticksSkipped ?? {})),
    sendLagMs: lagSummary(sorted),
    faults,
    legacyRetained: sum((s) => s.legacyRetained),
    retainedBytes: sum((s) => s.retainedBytes),
  };
}
