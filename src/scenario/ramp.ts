/**
 * The ramp plan: when each client opens, as ms after the run starts. Pure,
 * so it is tested without a socket. Clients are spread evenly over the
 * ramp, the first at 0, so the last opens one step before the ramp ends.
 *   4 clients over 1000 ms -> 0, 250, 500, 750
 *   any clients over 0 ms  -> all at 0
 */
export function rampPlan(clients: number, rampMs: number): number[] {
  const plan = new Array<number>(clients);
  const step = clients > 0 ? rampMs / clients : 0;
  for (let i = 0; i < clients; i += 1) plan[i] = Math.floor(i * step);
  return plan;
}
