/** What the probe client reports: one result per probe, grouped by the criterion it serves (see probe-client.ts). */

export type ProbeCriterion = 'subscriptions' | 'error_handling' | 'keepalive';

export const PROBE_NAMES = [
  'app_ping',
  'ws_ping',
  'invalid_json',
  'subscribe_without_channel',
  'unknown_channel',
  'subscribe',
  'second_subscribe',
  'unsubscribe',
  'resubscribe',
] as const;
export type ProbeName = (typeof PROBE_NAMES)[number];

export interface ProbeResult {
  name: ProbeName;
  criterion: ProbeCriterion;
  pass: boolean;
  /** What the probe sent (a frame's text, or a description of a control frame). */
  sent: string;
  /** What came back that the probe judged, truncated; `(nothing)` when nothing did. */
  received: string;
  /** Epoch ms the probe sent its message. */
  at: number;
  /** Send to the deciding reply, or the time watched for probes that watch a stream. */
  elapsedMs: number;
  detail: string;
  /** Set when the probe could not run (no connection, interrupted). */
  notRun?: string;
}

export interface ProbeReport {
  url: string;
  /** Channel of the subscription probes; absent when the profile has none that needs a subscribe. */
  channel?: string;
  intervalMs?: number;
  slackMs?: number;
  startedAt: number;
  endedAt: number;
  /** Connections opened: 1, or more when the target closed one (each reopened once). */
  connections: number;
  /** Why the first connection could not be opened. */
  connectError?: string;
  interrupted: boolean;
  probes: ProbeResult[];
}

export interface ProbeOptions {
  /** Channel for the subscription probes. Default: the shortest-interval channel that needs a subscribe. */
  channel?: string;
  /** Default: wsOptions.handshakeTimeout, else 10 s. */
  connectTimeoutMs?: number;
  /** Wait for a reply (pong, error, confirmation). Default 1000 ms; pongs must come within 1 s whatever this is. */
  replyTimeoutMs?: number;
  /** Added to one interval for "starts/stops within one interval". Default a quarter interval, at most 500 ms. */
  slackMs?: number;
  /** Aborting skips the probes not yet run (an interrupted run). */
  signal?: AbortSignal;
}

/** The pong bound of the keepalive criterion. */
export const KEEPALIVE_BOUND_MS = 1000;
