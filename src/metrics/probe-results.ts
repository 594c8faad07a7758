/**
 * What the protocol probe client found (engine/probe-client.ts runs it):
 * plain data, so it travels in a metrics snapshot across processes and
 * machines. Reports of several probe clients (one per shard that ran them)
 * merge into one that lists every probe; a criterion then passes when each
 * of its probes passed everywhere.
 */
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
  'heartbeat',
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
  /** Set when the profile lacks what the probe sends or waits for: the probe is left out of the judgement. */
  skipped?: string;
  /** An advisory id (docs/criteria.md) the probe found: passed, but worth a person's eye. */
  advisory?: string;
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

const byTime = (x: { at: number; name: string }, y: { at: number; name: string }) => x.at - y.at || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0);
const earlier = (x: ProbeReport, y: ProbeReport) => x.startedAt < y.startedAt || (x.startedAt === y.startedAt && x.url <= y.url);

/**
 * One report of every probe of both; associative and commutative. Fields of
 * one client (url, channel, the first connect error) come from the earlier
 * client that has them.
 *   a: started 10:00, 9 probes, 1 connection; b: started 10:02, 9 probes
 *   -> started 10:00, 18 probes by send time, 2 connections
 */
export function mergeProbeReports(a: ProbeReport, b: ProbeReport): ProbeReport {
  const [first, second] = earlier(a, b) ? [a, b] : [b, a];
  const channel = first.channel !== undefined ? first : second;
  const out: ProbeReport = {
    url: first.url,
    ...(channel.channel !== undefined ? { channel: channel.channel } : {}),
    ...(channel.intervalMs !== undefined ? { intervalMs: channel.intervalMs } : {}),
    ...(channel.slackMs !== undefined ? { slackMs: channel.slackMs } : {}),
    startedAt: first.startedAt,
    endedAt: Math.max(a.endedAt, b.endedAt),
    connections: a.connections + b.connections,
    interrupted: a.interrupted || b.interrupted,
    probes: [...a.probes, ...b.probes].sort(byTime),
  };
  const connectError = first.connectError ?? second.connectError;
  if (connectError !== undefined) out.connectError = connectError;
  return out;
}
