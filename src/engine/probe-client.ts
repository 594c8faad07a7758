import type { ClientOptions } from 'ws';
import type { ChannelSpec, TargetProfile } from '../profile/index.js';
import type { ProbeCriterion, ProbeName, ProbeReport, ProbeResult } from '../metrics/probe-results.js';
import { ProbeConnection, type InboxMessage } from './probe-connection.js';
import { judgeDoubling, judgeStopped, doublingEvident, type Arrival } from './probe-steps.js';
import { wallNow } from './time.js';

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
 * that does not exist gets. The probe passes when the connection stays open
 * and the target does not confirm the channel; an error reply is recorded
 * but not required.
 *
 * Bounded: with a 2 s channel and 500 ms slack the worst case is about 14 s
 * (replies 1 s each at most, subscribe and resubscribe I + slack, second
 * subscribe and unsubscribe 2I + slack each); a target that answers at once
 * takes about 9-12 s, depending on where in the period the subscribes land.
 * It never throws: a connection that cannot be opened fails every probe
 * with the reason, and a connection the target closes is reopened once per
 * group of probes.
 */

export { PROBE_NAMES, type ProbeCriterion, type ProbeName, type ProbeReport, type ProbeResult } from '../metrics/probe-results.js';

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
const UNKNOWN_CHANNEL = 'lsb_no_such_channel';
const MAX_TEXT = 200;
const MAX_RECEIVED = 600;

export function probeChannel(profile: TargetProfile, name?: string): ChannelSpec | undefined {
  if (name !== undefined) return profile.channels.find((c) => c.channel === name);
  return profile.channels.filter((c) => !c.autoStart).sort((a, b) => a.intervalMs - b.intervalMs)[0];
}

/** The profile's subscribe message with its channel field left out. */
function subscribeWithoutChannel(profile: TargetProfile): string {
  const marker = '\u0000lsb-channel';
  const built = profile.control.subscribe(marker) as Record<string, unknown>;
  return JSON.stringify(Object.fromEntries(Object.entries(built).filter(([, v]) => v !== marker)));
}

function shown(messages: readonly (InboxMessage | undefined)[]): string {
  const texts = messages.filter((m): m is InboxMessage => m !== undefined).map((m) => (m.text.length > MAX_TEXT ? `${m.text.slice(0, MAX_TEXT)}…` : m.text));
  if (texts.length === 0) return '(nothing)';
  const all = texts.join(' | ');
  return all.length > MAX_RECEIVED ? `${all.slice(0, MAX_RECEIVED)}… (${texts.length} messages)` : all;
}

const ms = (v: number) => `${Math.round(v)} ms`;

interface Ctx {
  profile: TargetProfile;
  replyMs: number;
  channel?: ChannelSpec;
  slackMs: number;
}

type Step = (c: ProbeConnection, ctx: Ctx) => Promise<ProbeResult>;
interface Group {
  steps: Array<[ProbeName, ProbeCriterion, Step]>;
}

export async function runProbes(url: string, wsOptions: ClientOptions, profile: TargetProfile, options: ProbeOptions = {}): Promise<ProbeReport> {
  const startedAt = wallNow();
  const channel = probeChannel(profile, options.channel);
  const slackMs = options.slackMs ?? (channel ? Math.min(500, channel.intervalMs / 4) : 0);
  const ctx: Ctx = { profile, replyMs: Math.max(options.replyTimeoutMs ?? 1000, KEEPALIVE_BOUND_MS), channel, slackMs };
  const connectMs = options.connectTimeoutMs ?? wsOptions.handshakeTimeout ?? 10_000;

  const groups: Group[] = [
    { steps: [['app_ping', 'keepalive', appPing], ['ws_ping', 'keepalive', wsPing]] },
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
          conn = await ProbeConnection.open(url, wsOptions, profile, connectMs);
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

function closedNote(c: ProbeConnection): string {
  return c.closed ? `; the target closed the connection (code ${c.closed.code}${c.closed.reason ? ` "${c.closed.reason}"` : ''})` : '';
}

const appPing: Step = async (c, { profile, replyMs }) => {
  const sent = JSON.stringify(profile.control.ping());
  const at = wallNow();
  c.send(sent);
  const pong = await c.waitFor((m) => m.type === profile.replies.pong, replyMs);
  const elapsedMs = (pong?.at ?? wallNow()) - at;
  const pass = pong !== undefined && elapsedMs <= KEEPALIVE_BOUND_MS;
  const detail = pong ? `${profile.replies.pong} after ${ms(elapsedMs)}` : `no ${profile.replies.pong} within ${ms(replyMs)}${closedNote(c)}`;
  return { name: 'app_ping', criterion: 'keepalive', pass, sent, received: shown([pong]), at, elapsedMs, detail };
};

const wsPing: Step = async (c, { replyMs }) => {
  const at = wallNow();
  const rtt = await c.wsPing(replyMs);
  const pass = rtt !== undefined && rtt <= KEEPALIVE_BOUND_MS;
  return {
    name: 'ws_ping', criterion: 'keepalive', pass, sent: 'WebSocket ping frame', received: rtt === undefined ? '(nothing)' : 'WebSocket pong frame',
    at, elapsedMs: rtt ?? wallNow() - at, detail: rtt === undefined ? `no pong frame within ${ms(replyMs)}${closedNote(c)}` : `pong frame after ${ms(rtt)}`,
  };
};

/** Sends `sent`, expects an error reply with text, then checks the connection still answers. */
async function expectError(c: ProbeConnection, ctx: Ctx, name: ProbeName, sent: string): Promise<ProbeResult> {
  const { profile, replyMs } = ctx;
  const at = wallNow();
  c.send(sent);
  const reply = await c.waitFor((m) => m.type === profile.replies.error, replyMs);
  const elapsedMs = (reply?.at ?? wallNow()) - at;
  const text = reply?.payload?.[profile.replies.errorTextField];
  const hasText = typeof text === 'string' && text.trim() !== '';
  const open = await c.stillOpen(replyMs);
  const problems = [
    !reply ? `no ${profile.replies.error} reply within ${ms(replyMs)}` : !hasText ? `the ${profile.replies.error} reply has no text in ${profile.replies.errorTextField}` : '',
    !open ? `the connection did not stay open${closedNote(c)}` : '',
  ].filter(Boolean);
  const detail = problems.length ? problems.join('; ') : `${profile.replies.error} "${String(text)}" after ${ms(elapsedMs)}, connection still open`;
  return { name, criterion: 'error_handling', pass: problems.length === 0, sent, received: shown([reply]), at, elapsedMs, detail };
}

const invalidJson: Step = (c, ctx) => expectError(c, ctx, 'invalid_json', 'this is not JSON {');
const noChannel: Step = (c, ctx) => expectError(c, ctx, 'subscribe_without_channel', subscribeWithoutChannel(ctx.profile));

const unknownChannel: Step = async (c, { profile, replyMs }) => {
  const sent = JSON.stringify(profile.control.subscribe(UNKNOWN_CHANNEL));
  const at = wallNow();
  c.send(sent);
  const isReply = (m: InboxMessage) => m.type === profile.replies.error || m.type === profile.replies.subscribed;
  const reply = await c.waitFor(isReply, replyMs);
  const elapsedMs = (reply?.at ?? wallNow()) - at;
  const open = await c.stillOpen(replyMs);
  const confirmed = reply?.type === profile.replies.subscribed;
  const what = !reply ? 'no reply' : confirmed ? `${profile.replies.subscribed} for a channel that does not exist` : `${profile.replies.error} reply`;
  const detail = !open ? `the connection did not stay open${closedNote(c)}` : `${what} after ${ms(elapsedMs)}, connection still open`;
  return { name: 'unknown_channel', criterion: 'error_handling', pass: open && !confirmed, sent, received: shown([reply]), at, elapsedMs, detail };
};

function arrivalsOf(c: ProbeConnection, type: string, from: number, to = Infinity): Arrival[] {
  return c.inbox.filter((m) => m.type === type && m.at > from && m.at <= to).map((m) => ({ at: m.at, timestamp: m.timestamp }));
}

function subscribe(name: 'subscribe' | 'resubscribe'): Step {
  return async (c, { profile, replyMs, channel, slackMs }) => {
    const ch = channel!;
    const sent = JSON.stringify(profile.control.subscribe(ch.channel));
    const bound = ch.intervalMs + slackMs;
    const at = wallNow();
    c.send(sent);
    const echo = profile.replies.subscribedChannelField;
    const confirmedFor = (m: InboxMessage) => m.type === profile.replies.subscribed && (echo === undefined || m.payload === undefined || !(echo in m.payload) || m.payload[echo] === ch.channel);
    const [confirm, first] = await Promise.all([
      c.waitFor(confirmedFor, replyMs),
      c.waitFor((m) => m.type === ch.messageType, bound),
    ]);
    const confirmMs = confirm ? confirm.at - at : undefined;
    const firstMs = first ? first.at - at : undefined;
    const problems = [
      confirm ? '' : `no ${profile.replies.subscribed} within ${ms(replyMs)}`,
      first ? '' : `no ${ch.messageType} within ${ms(bound)} (one interval + ${ms(slackMs)})`,
    ].filter(Boolean);
    const detail = problems.length
      ? problems.join('; ') + closedNote(c)
      : `${profile.replies.subscribed} after ${ms(confirmMs!)}, first ${ch.messageType} after ${ms(firstMs!)} (bound ${ms(bound)})`;
    return { name, criterion: 'subscriptions', pass: problems.length === 0, sent, received: shown([confirm, first]), at, elapsedMs: firstMs ?? wallNow() - at, detail };
  };
}

const secondSubscribe: Step = async (c, { profile, channel, slackMs }) => {
  const ch = channel!;
  const sent = JSON.stringify(profile.control.subscribe(ch.channel));
  const windowMs = 2 * ch.intervalMs + slackMs;
  const at = wallNow();
  const before = arrivalsOf(c, ch.messageType, -Infinity, at).at(-1);
  const from = c.inbox.length;
  c.send(sent);
  // Watch two intervals; a doubled stream usually shows itself well before.
  await c.watch(windowMs, () => doublingEvident(arrivalsOf(c, ch.messageType, at), ch.intervalMs, windowMs, before));
  const watched = wallNow() - at;
  const arrivals = arrivalsOf(c, ch.messageType, at, at + windowMs);
  const j = judgeDoubling(arrivals, ch.intervalMs, windowMs, before);
  const seen = c.inbox.slice(from).filter((m) => m.type === ch.messageType || m.type === profile.replies.subscribed);
  return { name: 'second_subscribe', criterion: 'subscriptions', pass: j.pass, sent, received: shown(seen), at, elapsedMs: watched, detail: j.detail + closedNote(c) };
};

const unsubscribe: Step = async (c, { profile, channel, slackMs }) => {
  const ch = channel!;
  const sent = JSON.stringify(profile.control.unsubscribe(ch.channel));
  const watchMs = 2 * ch.intervalMs + slackMs;
  const at = wallNow();
  const from = c.inbox.length;
  c.send(sent);
  const bound = at + ch.intervalMs + slackMs;
  await c.watch(watchMs, () => arrivalsOf(c, ch.messageType, bound).length > 0);
  const watched = wallNow() - at;
  const j = judgeStopped(arrivalsOf(c, ch.messageType, at), at, ch.intervalMs, slackMs, watched);
  const seen = c.inbox.slice(from).filter((m) => m.type === ch.messageType);
  // A closed connection also stops the channel; that is not a pass.
  const pass = j.pass && !c.closed;
  return { name: 'unsubscribe', criterion: 'subscriptions', pass, sent, received: shown(seen), at, elapsedMs: watched, detail: j.detail + closedNote(c) };
};
