import type { ConnectOptions } from '../transport/index.js';
import type { ChannelSpec, TargetProfile } from '../profile/index.js';
import { appPing, invalidJson, noChannel, secondSubscribe, subscribe, unknownChannel, unsubscribe, wsPing, type ProbeContext, type Step } from './probe-actions.js';
import { ProbeConnection } from './probe-connection.js';
import { heartbeat } from './probe-heartbeat.js';
import { probeLacks } from './probe-needs.js';
import type { ProbeCriterion, ProbeName, ProbeReport, ProbeResult } from '../metrics/probe-results.js';
import { KEEPALIVE_BOUND_MS } from './probe-actions.js';
import { wallNow } from './time.js';

export { PROBE_NAMES, type ProbeCriterion, type ProbeName, type ProbeReport, type ProbeResult } from '../metrics/probe-results.js';
export { KEEPALIVE_BOUND_MS } from './probe-actions.js';

/**
 * The protocol probes: one dedicated connection, opened while the load runs,
 * works through the protocol one step at a time and records, for each step,
 * what it sent, what came back and when.
 *
 * keepalive:      app_ping (pong within 1 s), ws_ping (pong frame within 1 s)
 * error_handling: invalid_json and subscribe_without_channel (an error reply
 *                 with text, and the connection stays open), unknown_channel
 *                 (see below)
 * subscriptions:  subscribe, second_subscribe, unsubscribe, resubscribe, on
 *                 the channel that needs a subscribe with the shortest interval
 *
 * unknown_channel: protocol.md does not say what a subscribe to a channel
 * that does not exist gets. The probe passes when the connection stays open;
 * an error reply is recorded but not required, and a confirmation (the real
 * server's answer) marks the result with the `unknown_channel` advisory.
 *
 * Bounded: with a 2 s channel and 500 ms slack the worst case is about 19 s
 * (replies 1 s each at most, subscribe and resubscribe I + slack each, the
 * second subscribe 3I + slack and the unsubscribe 2I + slack, each waited
 * out in full so that no probe counts the next one's messages, see
 * probe-steps.ts); a target that answers at once takes about 13-15 s,
 * depending on where in the period the subscribes land.
 * It never throws: a connection that cannot be opened fails every probe
 * with the reason, and a connection the target closes is reopened once per
 * group of probes.
 */

export interface ProbeOptions {
  /** Channel for the subscription probes. Default: the shortest-interval channel that needs a subscribe. */
  channel?: string;
  /** Default: the connect options' timeout, else 10 s. */
  connectTimeoutMs?: number;
  /** Wait for a reply (pong, error, confirmation). Default 1000 ms; pongs must come within 1 s whatever this is. */
  replyTimeoutMs?: number;
  /** Added to one interval for "starts/stops within one interval". Default a quarter interval, at most 500 ms. */
  slackMs?: number;
  /** Aborting skips the probes not yet run (an interrupted run). */
  signal?: AbortSignal;
}

export function probeChannel(profile: TargetProfile, name?: string): ChannelSpec | undefined {
  if (name !== undefined) return profile.channels.find((c) => c.channel === name);
  return profile.channels.filter((c) => !c.autoStart).sort((a, b) => a.intervalMs - b.intervalMs)[0];
}

/** Probes that share a connection's state (subscriptions); a closed connection is reopened between groups only. */
interface Group {
  steps: Array<[ProbeName, ProbeCriterion, Step]>;
}

export async function runProbes(url: string, connect: ConnectOptions, profile: TargetProfile, options: ProbeOptions = {}): Promise<ProbeReport> {
  const startedAt = wallNow();
  const channel = probeChannel(profile, options.channel);
  const slackMs = options.slackMs ?? (channel ? Math.min(500, channel.intervalMs / 4) : 0);
  const ctx: ProbeContext = { profile, replyMs: Math.max(options.replyTimeoutMs ?? 1000, KEEPALIVE_BOUND_MS), channel, slackMs };
  const connectMs = options.connectTimeoutMs ?? connect.connectTimeoutMs ?? 10_000;

  const heartbeatStep: Group['steps'][number] = ['heartbeat', 'keepalive', heartbeat];
  const groups: Group[] = [
    // an SSE stream's keepalive is its heartbeat comments (probe-heartbeat.ts)
    { steps: [['app_ping', 'keepalive', appPing], ['ws_ping', 'keepalive', wsPing], ...(profile.transport === 'sse' ? [heartbeatStep] : [])] },
    {
      steps: [
        ['invalid_json', 'error_handling', invalidJson],
        ['subscribe_without_channel', 'error_handling', noChannel],
        ['unknown_channel', 'error_handling', unknownChannel],
      ],
    },
  ];
  if (channel) {
    groups.push({
      steps: [
        ['subscribe', 'subscriptions', subscribe('subscribe')],
        ['second_subscribe', 'subscriptions', secondSubscribe],
        ['unsubscribe', 'subscriptions', unsubscribe],
        ['resubscribe', 'subscriptions', subscribe('resubscribe')],
      ],
    });
  }

  const probes: ProbeResult[] = [];
  let conn: ProbeConnection | undefined;
  let connections = 0;
  let connectError: string | undefined;
  const notRun = (name: ProbeName, criterion: ProbeCriterion, why: string): ProbeResult => ({
    name, criterion, pass: false, sent: '(nothing)', received: '(nothing)', at: wallNow(), elapsedMs: 0, detail: `not run: ${why}`, notRun: why,
  });

  for (const group of groups) {
    for (const [i, [name, criterion, step]] of group.steps.entries()) {
      if (options.signal?.aborted) {
        probes.push(notRun(name, criterion, 'interrupted'));
        continue;
      }
      // A closed connection is reopened at the start of a group only: later
      // steps of a group build on the earlier ones' state (subscriptions).
      if ((!conn || conn.closed) && (i === 0 || !conn) && connectError === undefined) {
        try {
          conn = await ProbeConnection.open(url, connect, profile, connectMs);
          connections++;
          await conn.waitFor((m) => m.type === profile.replies.welcome, ctx.replyMs, 0);
        } catch (err) {
          conn = undefined;
          connectError = (err as Error).message;
        }
      }
      if (!conn) {
        probes.push(notRun(name, criterion, `could not connect: ${connectError}`));
        continue;
      }
      if (conn.closed) {
        probes.push(notRun(name, criterion, `the target closed the connection (code ${conn.closed.code}) during an earlier probe of this group`));
        continue;
      }
      const lacks = probeLacks(name, profile);
      if (lacks) {
        probes.push({ ...notRun(name, criterion, lacks), pass: true, skipped: lacks });
        continue;
      }
      probes.push(await step(conn, ctx));
    }
  }
  conn?.close();
  return {
    url,
    channel: channel?.channel,
    intervalMs: channel?.intervalMs,
    slackMs: channel ? slackMs : undefined,
    startedAt,
    endedAt: wallNow(),
    connections,
    connectError: connections === 0 ? connectError : undefined,
    interrupted: options.signal?.aborted ?? false,
    probes,
  };
}

