import type { ChannelSpec, TargetProfile } from '../profile/index.js';
import type { InboxMessage, ProbeConnection } from './probe-connection.js';
import { doublingWindow, judgeDoubling, judgeStopped, stopWindow, type Arrival } from './probe-steps.js';
import type { ProbeName, ProbeResult } from '../metrics/probe-results.js';
import { wallNow } from './time.js';

/**
 * Each protocol probe on an open probe connection: what it sends, what it
 * waits for, and its result (the pure judgements of a watched stream are in
 * probe-steps.ts; the order, the connection and its reopening in
 * probe-client.ts).
 */

/** The pong bound of the keepalive criterion. */
export const KEEPALIVE_BOUND_MS = 1000;
const UNKNOWN_CHANNEL = 'lsb_no_such_channel';
const MAX_TEXT = 200;
const MAX_RECEIVED = 600;

/** The profile's subscribe message with its channel field left out. */
function subscribeWithoutChannel(profile: TargetProfile): string {
  const marker = '\u0000lsb-channel';
  const built = profile.control.subscribe!(marker) as Record<string, unknown>;
  return JSON.stringify(Object.fromEntries(Object.entries(built).filter(([, v]) => v !== marker)));
}

function shown(messages: readonly (InboxMessage | undefined)[]): string {
  const texts = messages.filter((m): m is InboxMessage => m !== undefined).map((m) => (m.text.length > MAX_TEXT ? `${m.text.slice(0, MAX_TEXT)}…` : m.text));
  if (texts.length === 0) return '(nothing)';
  const all = texts.join(' | ');
  return all.length > MAX_RECEIVED ? `${all.slice(0, MAX_RECEIVED)}… (${texts.length} messages)` : all;
}

const ms = (v: number) => `${Math.round(v)} ms`;

/** What every probe step reads: the profile, the reply bound, the subscription channel and its slack. */
export interface ProbeContext {
  profile: TargetProfile;
  replyMs: number;
  channel?: ChannelSpec;
  slackMs: number;
}

export type Step = (c: ProbeConnection, ctx: ProbeContext) => Promise<ProbeResult>;
function closedNote(c: ProbeConnection): string {
  return c.closed ? `; the target closed the connection (code ${c.closed.code}${c.closed.reason ? ` "${c.closed.reason}"` : ''})` : '';
}

export const appPing: Step = async (c, { profile, replyMs }) => {
  const sent = JSON.stringify(profile.control.ping!());
  const at = wallNow();
  c.send(sent);
  const pong = await c.waitFor((m) => m.type === profile.replies.pong, replyMs);
  const elapsedMs = (pong?.at ?? wallNow()) - at;
  const pass = pong !== undefined && elapsedMs <= KEEPALIVE_BOUND_MS;
  const detail = pong ? `${profile.replies.pong} after ${ms(elapsedMs)}` : `no ${profile.replies.pong} within ${ms(replyMs)}${closedNote(c)}`;
  return { name: 'app_ping', criterion: 'keepalive', pass, sent, received: shown([pong]), at, elapsedMs, detail };
};

export const wsPing: Step = async (c, { replyMs }) => {
  const at = wallNow();
  const rtt = await c.wsPing(replyMs);
  const pass = rtt !== undefined && rtt <= KEEPALIVE_BOUND_MS;
  return {
    name: 'ws_ping', criterion: 'keepalive', pass, sent: 'WebSocket ping frame', received: rtt === undefined ? '(nothing)' : 'WebSocket pong frame',
    at, elapsedMs: rtt ?? wallNow() - at, detail: rtt === undefined ? `no pong frame within ${ms(replyMs)}${closedNote(c)}` : `pong frame after ${ms(rtt)}`,
  };
};

/** Sends `sent`, expects an error reply with text, then checks the connection still answers. */
async function expectError(c: ProbeConnection, ctx: ProbeContext, name: ProbeName, sent: string): Promise<ProbeResult> {
  const { profile, replyMs } = ctx;
  const at = wallNow();
  c.send(sent);
  const reply = await c.waitFor((m) => m.type === profile.replies.error, replyMs);
  const elapsedMs = (reply?.at ?? wallNow()) - at;
  const text = profile.replies.errorTextField === undefined ? undefined : reply?.payload?.[profile.replies.errorTextField];
  const hasText = typeof text === 'string' && text.trim() !== '';
  const open = await c.stillOpen(replyMs);
  const problems = [
    !reply ? `no ${profile.replies.error} reply within ${ms(replyMs)}` : !hasText ? `the ${profile.replies.error} reply has no text in ${profile.replies.errorTextField}` : '',
    !open ? `the connection did not stay open${closedNote(c)}` : '',
  ].filter(Boolean);
  const detail = problems.length ? problems.join('; ') : `${profile.replies.error} "${String(text)}" after ${ms(elapsedMs)}, connection still open`;
  return { name, criterion: 'error_handling', pass: problems.length === 0, sent, received: shown([reply]), at, elapsedMs, detail };
}

export const invalidJson: Step = (c, ctx) => expectError(c, ctx, 'invalid_json', 'this is not JSON {');
export const noChannel: Step = (c, ctx) => expectError(c, ctx, 'subscribe_without_channel', subscribeWithoutChannel(ctx.profile));

export const unknownChannel: Step = async (c, { profile, replyMs }) => {
  const sent = JSON.stringify(profile.control.subscribe!(UNKNOWN_CHANNEL));
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

function arrivalsOf(messages: readonly InboxMessage[], type: string): Arrival[] {
  return messages.filter((m) => m.type === type).map((m) => ({ at: m.at, timestamp: m.timestamp }));
}

/** The confirmation of `channel`: the profile's reply type, echoing the channel when the reply has the field. */
function confirms(profile: TargetProfile, channel: string): (m: InboxMessage) => boolean {
  const echo = profile.replies.subscribedChannelField;
  return (m) => m.type === profile.replies.subscribed && (echo === undefined || m.payload === undefined || !(echo in m.payload) || m.payload[echo] === channel);
}

/** Messages from inbox index `from` received before `until` (epoch ms): one probe's own window. */
function windowOf(c: ProbeConnection, from: number, until: number): InboxMessage[] {
  return c.inbox.slice(from).filter((m) => m.at < until);
}

export function subscribe(name: 'subscribe' | 'resubscribe'): Step {
  return async (c, { profile, replyMs, channel, slackMs }) => {
    const ch = channel!;
    const sent = JSON.stringify(profile.control.subscribe!(ch.channel));
    const bound = ch.intervalMs + slackMs;
    const at = wallNow();
    c.send(sent);
    // a stream without a confirmation reply is judged on its first message alone
    const expectsConfirm = profile.replies.subscribed !== undefined;
    const [confirm, first] = await Promise.all([
      expectsConfirm ? c.waitFor(confirms(profile, ch.channel), replyMs) : Promise.resolve(undefined),
      c.waitFor((m) => m.type === ch.messageType, bound),
    ]);
    const confirmMs = confirm ? confirm.at - at : undefined;
    const firstMs = first ? first.at - at : undefined;
    const problems = [
      confirm || !expectsConfirm ? '' : `no ${profile.replies.subscribed} within ${ms(replyMs)}`,
      first ? '' : `no ${ch.messageType} within ${ms(bound)} (one interval + ${ms(slackMs)})`,
    ].filter(Boolean);
    const detail = problems.length
      ? problems.join('; ') + closedNote(c)
      : `${expectsConfirm ? `${profile.replies.subscribed} after ${ms(confirmMs!)}, ` : ''}first ${ch.messageType} after ${ms(firstMs!)} (bound ${ms(bound)})`;
    return { name, criterion: 'subscriptions', pass: problems.length === 0, sent, received: shown([confirm, first]), at, elapsedMs: firstMs ?? wallNow() - at, detail };
  };
}

/**
 * Ms from the confirmation to the channel message right after it, when the
 * profile allows a snapshot on subscribe and one came within the slack.
 */
function snapshotAfter(seen: readonly InboxMessage[], isConfirm: (m: InboxMessage) => boolean, ch: ChannelSpec, slackMs: number): number | undefined {
  if (!ch.snapshotOnSubscribe) return undefined;
  const i = seen.findIndex(isConfirm);
  const next = i < 0 ? undefined : seen.slice(i + 1).find((m) => m.type === ch.messageType);
  return next && next.at - seen[i].at <= slackMs ? next.at - seen[i].at : undefined;
}

export const secondSubscribe: Step = async (c, { profile, channel, slackMs }) => {
  const ch = channel!;
  const sent = JSON.stringify(profile.control.subscribe!(ch.channel));
  const w = doublingWindow(ch.intervalMs, slackMs);
  const at = wallNow();
  const from = c.inbox.length;
  c.send(sent);
  // The whole window, whatever comes: stopping at the first sign of doubling
  // would start the unsubscribe probe inside this one's stream.
  await c.watch(w.toMs, () => false);
  const watched = wallNow() - at;
  const isConfirm = confirms(profile, ch.channel);
  const seen = windowOf(c, from, at + w.toMs).filter((m) => m.type === ch.messageType || isConfirm(m));
  const arrivals = arrivalsOf(seen, ch.messageType);
  const early = { count: arrivals.filter((a) => a.at < at + w.fromMs).length, snapshotAfterMs: snapshotAfter(seen, isConfirm, ch, slackMs) };
  const j = judgeDoubling(arrivals, at, ch.intervalMs, slackMs, ch.messageType, early);
  return { name: 'second_subscribe', criterion: 'subscriptions', pass: j.pass, sent, received: shown(seen), at, elapsedMs: watched, detail: j.detail + closedNote(c) };
};

export const unsubscribe: Step = async (c, { profile, channel, slackMs }) => {
  const ch = channel!;
  const sent = JSON.stringify(profile.control.unsubscribe!(ch.channel));
  const w = stopWindow(ch.intervalMs, slackMs);
  const at = wallNow();
  const from = c.inbox.length;
  c.send(sent);
  // the whole window, as the second subscribe: the resubscribe starts after it
  await c.watch(w.toMs, () => false);
  const watched = wallNow() - at;
  const seen = windowOf(c, from, at + w.toMs).filter((m) => m.type === ch.messageType);
  const j = judgeStopped(arrivalsOf(seen, ch.messageType), at, ch.intervalMs, slackMs, ch.messageType);
  // A closed connection also stops the channel; that is not a pass.
  const pass = j.pass && !c.closed;
  return { name: 'unsubscribe', criterion: 'subscriptions', pass, sent, received: shown(seen), at, elapsedMs: watched, detail: j.detail + closedNote(c) };
};
