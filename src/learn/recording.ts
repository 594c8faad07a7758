/**
 * What `learn` watched: every frame each connection received, with the
 * harness time it came, and every message it sent. The inference
 * (infer.ts) is a pure function of this; the recorders (stream-recorder.ts,
 * over any transport) only fill it.
 */

/** One frame a connection received. `text` is absent for a binary frame. */
export interface Received {
  readonly conn: number;
  /** Harness wall time, epoch ms. */
  readonly at: number;
  readonly text?: string;
  readonly binary?: boolean;
}

/** One message a connection sent (a `--send`), in the order given. */
export interface Sent {
  readonly conn: number;
  readonly at: number;
  /** Index of the `--send` it is. */
  readonly index: number;
  readonly message: unknown;
}

export interface Recording {
  readonly clients: number;
  /** When each connection opened (epoch ms), by connection index; absent when it never did. */
  readonly openedAt: readonly (number | undefined)[];
  readonly received: readonly Received[];
  readonly sent: readonly Sent[];
  readonly startedAt: number;
  readonly endedAt: number;
  /**
   * By connection: the `--send` index a probe connection sent alone (it
   * sends nothing else, so what starts on it is that send's doing), or
   * undefined for a watching connection, which sends them all.
   */
  readonly probeOf: readonly (number | undefined)[];
  /** Why connections failed to open or closed early, one line each (deduplicated). */
  readonly failures: readonly string[];
}

export interface RecordOptions {
  readonly url: string;
  readonly clients: number;
  readonly durationMs: number;
  /** Sent on every connection after it opens, spaced by `sendGapMs`. */
  readonly send: readonly unknown[];
  readonly sendGapMs?: number;
  /** Also open one connection per `--send` that sends only it (default true). */
  readonly probes?: boolean;
  /** Each frame as it comes (for progress). */
  readonly onFrame?: (frame: Received) => void;
  /** Ends the recording early (Ctrl-C): what was seen is kept. */
  readonly signal?: AbortSignal;
}

/** A transport's way of watching a stream: the seam a second transport plugs into. */
export type StreamRecorder = (options: RecordOptions) => Promise<Recording>;
