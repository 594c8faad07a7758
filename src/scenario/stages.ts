/**
 * Load stages and chaos, as a scenario file declares them. The engine reads
 * these from `RunSettings`; this file only defines, validates and explains them.
 */

/**
 * One stage: over `durationMs`, the number of open clients moves linearly
 * from where the previous stage ended (0 before the first) to `clients`.
 * A stage whose target equals the previous one is a hold.
 */
export interface Stage {
  durationMs: number;
  clients: number;
}

export const CHAOS_MODES = ['close', 'drop', 'both'] as const;
export type ChaosMode = (typeof CHAOS_MODES)[number];

/**
 * Connections the harness cuts on purpose, to judge `reconnect`. Each round
 * cuts `cutShare` of the open clients at the same moment.
 */
export interface ChaosSettings {
  /** Share of the open clients cut in each round, (0, 1]. */
  cutShare: number;
  /** close: the harness closes cleanly (code 1000); drop: the socket is destroyed with no close frame, as a network cut; both: half each. */
  mode: ChaosMode;
  /** First round, in ms after the steady phase starts; the engine's default when unset. */
  atMs?: number;
  /** Time between rounds; one round when unset. */
  everyMs?: number;
}

/** Sum of the stage durations: the length of a staged run. */
export function stagesTotalMs(stages: readonly Stage[]): number {
  return stages.reduce((a, s) => a + s.durationMs, 0);
}

/** Most clients any stage asks for: how many the run must be able to open. */
export function peakClients(stages: readonly Stage[]): number {
  return stages.reduce((a, s) => Math.max(a, s.clients), 0);
}

/**
 * Clients that should be open `ms` after the run starts. Pure.
 *   [{10 s, 100}, {60 s, 100}, {10 s, 0}]:
 *     at 0 s -> 0, at 5 s -> 50, at 10 s -> 100, at 40 s -> 100, at 75 s -> 50, at 80 s and later -> 0
 */
export function clientsAt(stages: readonly Stage[], ms: number): number {
  let from = 0;
  let start = 0;
  for (const s of stages) {
    if (ms < start + s.durationMs) {
      const f = s.durationMs > 0 ? (ms - start) / s.durationMs : 1;
      return Math.round(from + (s.clients - from) * Math.max(0, f));
    }
    from = s.clients;
    start += s.durationMs;
  }
  return from;
}

/** Problems with stages, one sentence each, naming the stage (1-based). */
export function stageProblems(stages: readonly Stage[]): string[] {
  const problems: string[] = [];
  if (stages.length === 0) problems.push('stages must hold at least one stage');
  stages.forEach((s, i) => {
    if (!(s.durationMs > 0)) problems.push(`stage ${i + 1}: duration must be more than 0`);
    if (!Number.isInteger(s.clients) || s.clients < 0) problems.push(`stage ${i + 1}: clients must be a whole number >= 0 (got ${s.clients})`);
  });
  if (stages.length > 0 && peakClients(stages) < 1) problems.push('stages never open a client: at least one stage needs clients >= 1');
  return problems;
}

export function chaosProblems(c: ChaosSettings): string[] {
  const problems: string[] = [];
  if (!(c.cutShare > 0 && c.cutShare <= 1)) problems.push(`chaos cut must be more than 0 % and at most 100 % (got ${c.cutShare * 100} %)`);
  if (!(CHAOS_MODES as readonly string[]).includes(c.mode)) problems.push(`chaos mode must be one of ${CHAOS_MODES.join(', ')} (got ${JSON.stringify(c.mode)})`);
  if (c.atMs !== undefined && !(c.atMs >= 0)) problems.push('chaos at must be 0 or more');
  if (c.everyMs !== undefined && !(c.everyMs > 0)) problems.push('chaos every must be more than 0');
  return problems;
}
