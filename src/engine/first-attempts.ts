import type { ConnectFailure } from './connect-errors.js';

/** First attempts that must all have failed, the same way, before a run gives up (fewer when fewer clients are planned). */
export const HOPELESS_FIRST_ATTEMPTS = 10;
/** Time a run gives a target first: one still starting may answer within it. */
export const HOPELESS_AFTER_MS = 5000;

/**
 * Whether a run can still learn anything: when every client's first open
 * has failed, the same way, and none has opened since, `connect` has failed
 * already (it wants every first open to succeed) and the other criteria
 * need a stream there is none of. The run then ends rather than retrying
 * for its whole length.
 *
 *   20 clients over 5 s against a TCP server that sends a banner: clients
 *   1-10 fail their first open with not_http within 2.5 s; at 5 s (the
 *   wait for a target still starting) the run stops, connect failing with
 *   "the target does not answer in HTTP ...".
 *   The same with client 4 refused instead: two causes, the run goes on.
 *
 * Pure: fed outcomes and the elapsed time, no sockets or timers.
 */
export class FirstAttempts {
  private failed = 0;
  private cause: ConnectFailure | undefined;
  private mixed = false;
  private opened = false;

  /** @param planned clients this slice opens at its peak */
  constructor(private readonly planned: number) {}

  /** A client's first open failed. */
  failure(f: ConnectFailure): void {
    this.failed += 1;
    if (this.cause === undefined) this.cause = f;
    else if (this.cause.kind !== f.kind) this.mixed = true;
  }

  /** A connection opened (a first attempt or a retry): the target can be reached. */
  open(): void {
    this.opened = true;
  }

  /** The one cause every first open failed with, once the run should stop; undefined while it should go on. */
  hopeless(elapsedMs: number): ConnectFailure | undefined {
    const needed = Math.min(HOPELESS_FIRST_ATTEMPTS, this.planned);
    if (this.opened || this.mixed || needed < 1 || this.failed < needed || elapsedMs < HOPELESS_AFTER_MS) return undefined;
    return this.cause;
  }
}
