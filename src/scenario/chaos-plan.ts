import type { TargetProfile } from '../profile/index.js';
import type { ReconnectPolicy } from './backoff.js';
import type { LoadPlan } from './plan.js';
import type { ChaosSettings } from './stages.js';

/**
 * When the harness cuts which connections on purpose. Pure.
 *
 * The first round comes `atMs` into the steady phase (default: a third of
 * the way in), then one every `everyMs`; a round is planned only if a cut
 * client has `returnMs` left to come back and stream before the steady
 * phase ends. Each round cuts `cutShare` of the peak clients, spread evenly
 * over the client indices and shifted by one per round; `both` alternates a
 * close frame and a destroyed socket.
 *   30 s steady from 6 s, cut 10 % of 100, once -> one round at 16 s, clients 5, 15, ... 95
 */
export type CutMode = 'abrupt' | 'close';

export interface CutRound {
  /** ms after the run starts. */
  atMs: number;
  clients: number[];
  modes: CutMode[];
}

export function chaosPlan(chaos: ChaosSettings, plan: LoadPlan, returnMs: number): CutRound[] {
  const steadyMs = plan.steadyEndMs - plan.steadyStartMs;
  const first = plan.steadyStartMs + (chaos.atMs ?? Math.floor(steadyMs / 3));
  const count = Math.max(1, Math.min(plan.peak, Math.round(chaos.cutShare * plan.peak)));
  const rounds: CutRound[] = [];
  for (let at = first, r = 0; at + returnMs <= plan.steadyEndMs; at += chaos.everyMs ?? Number.POSITIVE_INFINITY, r += 1) {
    const clients: number[] = [];
    const modes: CutMode[] = [];
    for (let j = 0; j < count; j += 1) {
      clients.push((Math.floor(((j + 0.5) * plan.peak) / count) + r) % plan.peak);
      modes.push(chaos.mode === 'close' ? 'close' : chaos.mode === 'drop' ? 'abrupt' : j % 2 === 0 ? 'close' : 'abrupt');
    }
    rounds.push({ atMs: at, clients, modes });
    if (chaos.everyMs === undefined) break;
  }
  return rounds;
}

/**
 * How long a cut client needs to come back and show it streams again: the
 * first backoff delay, two of the quickest subscribed channel's intervals
 * and a second of slack. A round is planned only with this much of the
 * steady phase left.
 *   default policy (1 s), the fastest channel every 1 s -> 4000
 */
export function cutReturnMs(s: { policy: ReconnectPolicy; channels: readonly string[] }, profile: TargetProfile): number {
  // an SSE stream that says how long to wait (`retry:`) is waited for that long: the client honours it (engine/client.ts)
  const firstDelay = profile.sse?.retryMs ?? s.policy.initialMs;
  return firstDelay + 2 * quickestIntervalMs(s.channels, profile) + 1000;
}

/** The shortest interval of the channels a client streams: the self-starting ones and those chosen. */
export function quickestIntervalMs(channels: readonly string[], profile: TargetProfile): number {
  const chosen = new Set(channels);
  return Math.min(...profile.channels.filter((c) => c.autoStart || chosen.has(c.channel)).map((c) => c.intervalMs));
}
