import type { CutRound } from './chaos-plan.js';
import type { LoadPlan } from './plan.js';

/**
 * One slice of a run: worker processes on one machine, and shards across
 * machines, split the same way so that n slices together are the whole.
 * Global client i belongs to slice i mod n, where it is local client
 * floor(i / n); the plan's count at any moment splits the same way.
 *   10 clients, 3 slices: slice 0 has 0, 3, 6, 9; slice 1 has 1, 4, 7; slice 2 has 2, 5, 8
 * Pure, so a merge of the slices is checked against one whole run.
 */
export interface Slice {
  /** 0-based. */
  index: number;
  count: number;
}

export const WHOLE: Slice = { index: 0, count: 1 };

/** How many of the first `total` global clients fall in the slice. */
export function sliceCount(total: number, slice: Slice): number {
  return total > slice.index ? Math.floor((total - slice.index - 1) / slice.count) + 1 : 0;
}

export function slicePlan(plan: LoadPlan, slice: Slice): LoadPlan {
  if (slice.count === 1) return plan;
  return {
    peak: sliceCount(plan.peak, slice),
    totalMs: plan.totalMs,
    steadyStartMs: plan.steadyStartMs,
    steadyEndMs: plan.steadyEndMs,
    openAt: (ms) => sliceCount(plan.openAt(ms), slice),
  };
}

export function sliceRounds(rounds: readonly CutRound[], slice: Slice): CutRound[] {
  if (slice.count === 1) return [...rounds];
  return rounds.map((r) => {
    const clients: number[] = [];
    const modes: CutRound['modes'] = [];
    r.clients.forEach((c, j) => {
      if (c % slice.count === slice.index) {
        clients.push(Math.floor(c / slice.count));
        modes.push(r.modes[j]);
      }
    });
    return { atMs: r.atMs, clients, modes };
  });
}

/** Parses `i/n` (1-based i, as people count shards) into a 0-based slice. */
export function parseSlice(text: string): Slice | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const i = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1 || i < 1 || i > n) return undefined;
  return { index: i - 1, count: n };
}
