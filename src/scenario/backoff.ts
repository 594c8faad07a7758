/**
 * Reconnect policy: exponential backoff, as the portal's WebSocket service
 * does it. Pure, so the schedule is unit-tested without a socket.
 *   default  (1 s, x2, cap 10 s, 5 attempts): 1000, 2000, 4000, 8000, 10000
 *   portal   (5 s, x2, cap 160 s, 10 attempts): 5000, 10000, ... 160000
 */
export interface ReconnectPolicy {
  initialMs: number;
  factor: number;
  maxMs: number;
  maxAttempts: number;
  /** 0..1: each delay is drawn from [delay x (1 - jitter), delay]. */
  jitter: number;
}

export const DEFAULT_POLICY: ReconnectPolicy = { initialMs: 1000, factor: 2, maxMs: 10_000, maxAttempts: 5, jitter: 0 };
export const PORTAL_POLICY: ReconnectPolicy = { initialMs: 5000, factor: 2, maxMs: 160_000, maxAttempts: 10, jitter: 0 };

export const POLICY_PRESETS: Readonly<Record<string, ReconnectPolicy>> = {
  default: DEFAULT_POLICY,
  portal: PORTAL_POLICY,
};

/**
 * Delay before reconnect attempt `attempt` (0-based), or undefined when the
 * policy gives up. `random` is injected so tests are deterministic.
 */
export function backoffDelay(policy: ReconnectPolicy, attempt: number, random: () => number = Math.random): number | undefined {
  if (attempt >= policy.maxAttempts) return undefined;
  const base = Math.min(policy.initialMs * policy.factor ** attempt, policy.maxMs);
  if (policy.jitter <= 0) return base;
  return base * (1 - policy.jitter * random());
}

export function backoffSchedule(policy: ReconnectPolicy): number[] {
  const out: number[] = [];
  for (let a = 0; ; a += 1) {
    const d = backoffDelay(policy, a, () => 0);
    if (d === undefined) return out;
    out.push(d);
  }
}
