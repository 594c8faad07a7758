/**
 * Reconnect policy: exponential backoff, as the real clients do it. Pure, so
 * the schedule is unit-tested without a socket. The presets are named after
 * the clients (docs/protocol.md, "How the real clients behave"):
 *   default            (1 s, x2, cap 10 s, 5 attempts): 1000, 2000, 4000, 8000, 10000
 *   portal             the Phase 3 consumer, the portal's WebSocketManager
 *                      (api.ts): 3000 x 2^(n-1) ms, at most 5 attempts, no cap:
 *                      3000, 6000, 12000, 24000, 48000. "No cap" is the cap
 *                      of 48 s here: 5 attempts never reach past it, and a
 *                      finite cap keeps report.json plain JSON.
 *   websocket-service  the second frontend (websocketService.ts):
 *                      min(5000 x 2^attempt, 160000) ms, at most 10 attempts:
 *                      5000, 10000, ... 160000. Before this release `portal`
 *                      meant this one, which was wrong: the portal is api.ts.
 *                      `portal-v2` is the same preset under the name it had
 *                      in the first drafts.
 * Every client resets its attempt counter once a connection opens
 * (engine/client.ts), as api.ts does.
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
export const PORTAL_POLICY: ReconnectPolicy = { initialMs: 3000, factor: 2, maxMs: 48_000, maxAttempts: 5, jitter: 0 };
export const WEBSOCKET_SERVICE_POLICY: ReconnectPolicy = { initialMs: 5000, factor: 2, maxMs: 160_000, maxAttempts: 10, jitter: 0 };

/** Preset names are API: add, never rename (`portal` changed meaning once, see above). */
export const POLICY_PRESETS: Readonly<Record<string, ReconnectPolicy>> = {
  default: DEFAULT_POLICY,
  portal: PORTAL_POLICY,
  'websocket-service': WEBSOCKET_SERVICE_POLICY,
  'portal-v2': WEBSOCKET_SERVICE_POLICY,
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
