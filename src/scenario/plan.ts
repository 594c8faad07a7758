import { rampPlan } from './ramp.js';
import type { RunSettings } from './settings.js';
import { clientsAt, peakClients, type Stage } from './stages.js';

/**
 * The load plan: how many clients should be open at each moment, and when
 * the steady phase (what uptime, concurrency and bandwidth judge) runs.
 * A pure function of the settings; times are ms after the run starts.
 *
 * Without stages: clients open over the ramp as `rampPlan` says, the steady
 * phase starts a settle time after the ramp (connects still in flight when
 * the last client was due must not count against uptime) and lasts
 * `duration`.
 *   10 clients, ramp 5 s, duration 30 s -> steady 6 s..36 s, run 36 s
 * With stages: the steady phase is the hold at the peak client count (from
 * a settle time after the peak is first reached to when it is left).
 *   [{10 s, 100}, {60 s, 100}, {10 s, 0}] -> steady 11 s..70 s, run 80 s
 */
export const STEADY_SETTLE_MS = 1000;

export interface LoadPlan {
  /** Most clients open at once. */
  peak: number;
  totalMs: number;
  steadyStartMs: number;
  steadyEndMs: number;
  /** Clients that should be open `ms` after the start. */
  openAt(ms: number): number;
}

export function loadPlan(s: Pick<RunSettings, 'clients' | 'rampMs' | 'durationMs' | 'stages'>): LoadPlan {
  if (s.stages && s.stages.length > 0) return stagedPlan(s.stages);
  const ramp = rampPlan(s.clients, s.rampMs);
  const steadyStartMs = s.rampMs + STEADY_SETTLE_MS;
  return {
    peak: s.clients,
    totalMs: steadyStartMs + s.durationMs,
    steadyStartMs,
    steadyEndMs: steadyStartMs + s.durationMs,
    openAt(ms) {
      // ramp is sorted: count the entries due by `ms`
      let lo = 0;
      let hi = ramp.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ramp[mid] <= ms) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
  };
}

function stagedPlan(stages: readonly Stage[]): LoadPlan {
  const peak = peakClients(stages);
  let at = 0;
  let prev = 0;
  let steadyStartMs: number | undefined;
  let steadyEndMs: number | undefined;
  for (const st of stages) {
    const end = at + st.durationMs;
    if (st.clients === peak) {
      if (steadyStartMs === undefined) steadyStartMs = prev === peak ? at : end + STEADY_SETTLE_MS;
      if (prev === peak || steadyStartMs <= end) steadyEndMs = end;
    } else if (steadyStartMs !== undefined && steadyEndMs === undefined) {
      steadyEndMs = at;
    }
    if (steadyEndMs !== undefined && st.clients !== peak) break;
    prev = st.clients;
    at = end;
  }
  const totalMs = stages.reduce((a, st) => a + st.durationMs, 0);
  const start = Math.min(steadyStartMs ?? totalMs, totalMs);
  const endMs = Math.max(start, Math.min(steadyEndMs ?? start, totalMs));
  return { peak, totalMs, steadyStartMs: start, steadyEndMs: endMs, openAt: (ms) => clientsAt(stages, ms) };
}
