/**
 * What `sse.heartbeat` promises: a comment line at least this often, with
 * a little slack for timers (a quarter of the period, at most 1 s). The
 * keepalive probe judges by it, and learn drafts a heartbeat it would pass.
 *   heartbeat 2 s: comments 2004 ms apart -> within; 2.6 s apart -> not
 */
export function heartbeatSlackMs(heartbeatMs: number): number {
  return Math.min(1000, heartbeatMs / 4);
}
