import type { Sent } from './recording.js';
import { byConnection, isObject, list, num, type Json, type Message } from './observed.js';

/**
 * The conversation around the stream: the welcome every connection gets
 * first, and what each `--send` message got back. A send whose reply
 * echoes one of its text values, or after which a new message type starts
 * to stream, is a subscribe (that value is the channel); one whose reply
 * carries a clock is a ping.
 *   send {do: join, room: kitchen} -> {kind: joined, body: {room: kitchen}}
 *     -> subscribe {do: join, room: "{channel}"}, joined echoes it in room
 */

export interface WelcomeGuess {
  readonly type: string;
  readonly idField?: string;
  readonly why: string;
  readonly idWhy: string;
}

export function inferWelcome(messages: readonly Message[], clients: number): WelcomeGuess | string {
  const conns = [...byConnection(messages).values()];
  const firsts = conns.map((c) => c[0]);
  const type = firsts[0]?.type;
  if (type === undefined || firsts.some((m) => m.type !== type)) return `no welcome: the connections' first messages are of different types (${list([...new Set(firsts.map((m) => m.type))])})`;
  const once = conns.every((c) => c.filter((m) => m.type === type).length === 1);
  if (!once) return `no welcome: "${type}" came first but more than once on a connection`;
  const why = `the first message on each of ${conns.length} connection(s), and only once`;
  const strings = Object.keys(firsts[0].payload).filter((k) => firsts.every((m) => typeof m.payload[k] === 'string'));
  const distinct = strings.filter((k) => new Set(firsts.map((m) => m.payload[k])).size === firsts.length);
  const idField = (conns.length >= 2 ? distinct : strings)[0];
  const idWhy = idField === undefined
    ? 'no text field in it differs between connections'
    : conns.length >= 2
      ? `a text field with another value on each of ${conns.length} connections`
      : `the first text field (one connection watched: could not check it differs per connection${clients < 2 ? '' : ''})`;
  return { type, ...(idField !== undefined ? { idField } : {}), why, idWhy };
}

export interface SendOutcome {
  readonly index: number;
  readonly message: unknown;
  readonly kind: 'subscribe' | 'ping' | 'other';
  /** The reply type most connections got, if any. */
  readonly reply?: string;
  /** For a subscribe: the text value of the send that names the channel, and its key path. */
  readonly channel?: string;
  readonly channelKey?: string;
  /** Payload field of the reply that echoes the channel. */
  readonly echoField?: string;
  /** Payload field of a ping's reply with the server clock. */
  readonly clockField?: string;
  readonly why: string;
}

/** Epoch-like: within a day of the receive time in s, ms or us. */
function clockField(m: Message): string | undefined {
  return Object.keys(m.payload).find((k) => {
    const v = m.payload[k];
    if (typeof v !== 'number') return false;
    return [1000, 1, 0.001].some((scale) => Math.abs(v * scale - m.at) < 86_400_000);
  });
}

function stringValues(v: unknown, at = ''): [string, string][] {
  if (typeof v === 'string') return [[at, v]];
  if (isObject(v)) return Object.entries(v).flatMap(([k, x]) => stringValues(x, at ? `${at}.${k}` : k));
  return [];
}

/**
 * For each send: the first message after it on the same connection, before
 * the next send, of a type that is not a stream (`streams`); the reply is
 * the type most connections got.
 */
export function inferSends(messages: readonly Message[], sent: readonly Sent[], streams: ReadonlySet<string>, welcome: string | undefined, startedTypes: (s: Sent) => string[]): SendOutcome[] {
  const byIndex = new Map<number, Sent[]>();
  for (const s of sent) {
    let l = byIndex.get(s.index);
    if (!l) byIndex.set(s.index, (l = []));
    l.push(s);
  }
  const conns = byConnection(messages);
  const out: SendOutcome[] = [];
  for (const [index, sends] of [...byIndex].sort((a, b) => a[0] - b[0])) {
    const replies: Message[] = [];
    for (const s of sends) {
      const next = sent.filter((x) => x.conn === s.conn && x.at > s.at).map((x) => x.at);
      const until = next.length ? Math.min(...next) : Infinity;
      const r = (conns.get(s.conn) ?? []).find((m) => m.at >= s.at && m.at < until && !streams.has(m.type) && m.type !== welcome);
      if (r) replies.push(r);
    }
    const counts = new Map<string, number>();
    for (const r of replies) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    const reply = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
    const first = replies.find((r) => r.type === reply);
    const message = sends[0].message;
    const values = stringValues(message);
    const echoed = first ? values.map(([key, v]) => ({ key, v, field: Object.keys(first.payload).find((f) => first.payload[f] === v) })).find((e) => e.field) : undefined;
    const started = startedTypes(sends[0]);
    const got = reply ? `got "${reply}" on ${counts.get(reply)} of ${sends.length} connection(s)` : `got no reply on ${sends.length} connection(s)`;
    if (echoed) {
      out.push({ index, message, kind: 'subscribe', reply, channel: echoed.v, channelKey: echoed.key, echoField: echoed.field, why: `${got}, whose ${echoed.field} echoes its ${echoed.key} "${echoed.v}"` });
    } else if (first && clockField(first) !== undefined) {
      const f = clockField(first)!;
      out.push({ index, message, kind: 'ping', reply, clockField: f, why: `${got}, whose ${f} is a clock (${num(first.payload[f] as number)})` });
    } else if (started.length > 0 && values.length > 0) {
      // no echo: the value that differs from the other subscribes names the channel, else the last text value
      const [key, v] = values[values.length - 1];
      out.push({ index, message, kind: 'subscribe', ...(reply ? { reply } : {}), channel: v, channelKey: key, why: `${got}; ${list(started)} started after it; its ${key} "${v}" taken for the channel (a guess: no reply echoed it)` });
    } else {
      out.push({ index, message, kind: 'other', ...(reply ? { reply } : {}), why: `${got}: neither a subscribe (no echo, nothing started) nor a ping (no clock in the reply)` });
    }
  }
  return out;
}

/** The send with its channel value replaced by "{channel}": the profile's subscribe template. */
export function templateOf(message: unknown, key: string): Json | undefined {
  if (!isObject(message)) return undefined;
  const copy = structuredClone(message);
  const parts = key.split('.');
  let at: Json = copy;
  for (const p of parts.slice(0, -1)) at = at[p] as Json;
  at[parts[parts.length - 1]] = '{channel}';
  return copy;
}
