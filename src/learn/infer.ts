import type { ChannelDocument, JsonSchema, ProfileDocument } from '../profile/index.js';
import { formatInterval, inferCadence } from './cadence.js';
import { inferSends, inferWelcome, templateOf, type SendOutcome } from './control.js';
import { inferEnvelope } from './envelope.js';
import { inferInvariants, inferRising, inferShared } from './fields.js';
import { byConnection, isObject, list, type Message, type Note, type ObjectFrame } from './observed.js';
import { inferPayloadSchema } from './payload-schema.js';
import type { Recording, Sent } from './recording.js';
import { inferSse } from './sse-keys.js';

/**
 * A draft profile from a recording: a pure function of what was seen. Each
 * guess comes with a note of its evidence (written beside it), and what
 * could not be told is listed (written at the top).
 */
export interface LearnedProfile {
  readonly document: ProfileDocument;
  readonly notes: Note[];
  readonly unknowns: string[];
  /** Messages seen per type. */
  readonly seen: Record<string, number>;
}

/** What the stream itself cannot say, or an outside description (AsyncAPI) says better. */
export interface LearnHints {
  readonly name: string;
  readonly path: string;
  readonly defaultPort?: number;
  /** Channels known beforehand by message type: their name and payload schema. */
  readonly channels?: ReadonlyMap<string, { name: string; payload?: JsonSchema }>;
  /** The URL watched: its query may choose the channels of an SSE stream (url-channels.ts). */
  readonly url?: string;
}

/** The recording shows nothing a profile can be drafted from. */
export class LearnFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LearnFailure';
  }
}

/** A message this long after a send is no longer its reply. */
const REPLY_WINDOW_MS = 2000;

export function objectFrames(rec: Recording): { frames: ObjectFrame[]; skipped: string | undefined } {
  const seconds = `${Math.round((rec.endedAt - rec.startedAt) / 100) / 10}s`;
  if (rec.received.length === 0) {
    const why = rec.failures.length ? `: ${rec.failures.join('; ')}` : '';
    throw new LearnFailure(`the target sent nothing in ${seconds} over ${rec.clients} connection(s)${why}`);
  }
  const frames: ObjectFrame[] = [];
  let binary = 0;
  let other = 0;
  let example = '';
  for (const f of rec.received) {
    if (f.text === undefined) {
      binary += 1;
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(f.text);
    } catch {
      value = undefined;
    }
    if (isObject(value)) frames.push({ conn: f.conn, at: f.at, value });
    else {
      other += 1;
      if (!example) example = f.text.slice(0, 60);
    }
  }
  if (frames.length === 0) {
    if (other === 0) throw new LearnFailure(`the target sent binary frames only (${binary}): learn reads JSON text messages`);
    throw new LearnFailure(`none of the ${rec.received.length} frames the target sent is a JSON object (${binary} binary; first text: ${JSON.stringify(example)}): learn reads JSON text messages`);
  }
  const skipped = binary + other > 0 ? `${binary + other} of ${rec.received.length} frames were not JSON objects (${binary} binary) and were left out` : undefined;
  return { frames, skipped };
}

function similarity(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i / Math.max(a.length, b.length, 1);
}

function firstArrivals(messages: readonly Message[], type: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const m of messages) if (m.type === type && !out.has(m.conn)) out.set(m.conn, m.at);
  return out;
}

/** Which subscribe started which stream: timing first (the last subscribe before it came), names to break ties. */
function attribute(streams: string[], subscribes: SendOutcome[], sent: readonly Sent[], messages: readonly Message[], probeOf: readonly (number | undefined)[]): { autoStart: Set<string>; channelOf: Map<string, SendOutcome> } {
  const subIdx = new Set(subscribes.map((s) => s.index));
  const subsOn = byConnection(sent.filter((s) => subIdx.has(s.index)));
  const autoStart = new Set<string>();
  const pairs: { type: string; sub: SendOutcome; score: number }[] = [];
  for (const type of streams) {
    const arrivals = firstArrivals(messages, type);
    const early = [...arrivals].some(([conn, at]) => {
      const subs = subsOn.get(conn) ?? [];
      return subs.length === 0 || at < Math.min(...subs.map((s) => s.at));
    });
    if (early) {
      autoStart.add(type);
      continue;
    }
    // a probe connection sent one subscribe alone: a stream on it is that subscribe's
    const probed = subscribes.filter((sub) => messages.some((m) => m.type === type && probeOf[m.conn] === sub.index));
    if (probed.length === 1) {
      pairs.push({ type, sub: probed[0], score: 100 });
      continue;
    }
    for (const sub of subscribes) {
      let votes = 0;
      let feasible = true;
      for (const [conn, at] of arrivals) {
        const subs = (subsOn.get(conn) ?? []).filter((s) => s.at <= at);
        if (!subs.some((s) => s.index === sub.index)) feasible = false;
        else if (subs.sort((a, b) => b.at - a.at)[0].index === sub.index) votes += 1;
      }
      if (feasible) pairs.push({ type, sub, score: votes + similarity(sub.channel ?? '', type) });
    }
  }
  const channelOf = new Map<string, SendOutcome>();
  const used = new Set<number>();
  for (const p of pairs.sort((a, b) => b.score - a.score)) {
    if (channelOf.has(p.type) || used.has(p.sub.index)) continue;
    channelOf.set(p.type, p.sub);
    used.add(p.sub.index);
  }
  return { autoStart, channelOf };
}

export function inferProfile(rec: Recording, hints: LearnHints): LearnedProfile {
  const notes: Note[] = [];
  const unknowns: string[] = [];
  const { frames, skipped } = objectFrames(rec);
  if (skipped) unknowns.push(skipped);
  const env = inferEnvelope(frames);
  if (typeof env === 'string') throw new LearnFailure(`cannot tell the messages' envelope: ${env}`);
  notes.push({ path: ['envelope', 'type'], text: env.why.type }, { path: ['envelope', 'payload'], text: env.why.payload }, { path: ['envelope', 'timestampUnit'], text: env.why.timestamp });
  if (!env.timestamp) unknowns.push('no timestamp: no top-level number field is a clock near the receive time, so latency cannot be measured (envelope.timestamp is a placeholder)');
  const unit = { s: 1000, ms: 1, us: 0.001 }[env.unit];
  const read: Message[] = frames
    .filter((f) => typeof f.value[env.type] === 'string')
    .map((f) => {
      const ts = env.timestamp === undefined ? undefined : f.value[env.timestamp];
      const payload = f.value[env.payload];
      return { conn: f.conn, at: f.at, type: f.value[env.type] as string, ...(typeof ts === 'number' ? { tsMs: ts * unit } : {}), payload: isObject(payload) ? payload : {} };
    });
  // what the URL probes saw tells channel names apart (sse-keys.ts); it is not the stream learned
  const onUrlProbe = (m: Message) => rec.urlProbeOf?.[m.conn] !== undefined;
  const messages = read.filter((m) => !onUrlProbe(m));
  const seen: Record<string, number> = {};
  for (const m of messages) seen[m.type] = (seen[m.type] ?? 0) + 1;

  const welcome = inferWelcome(messages, rec.clients);
  const welcomeType = typeof welcome === 'string' ? undefined : welcome.type;
  if (typeof welcome === 'string') unknowns.push(welcome);
  else if (welcome.idField === undefined) unknowns.push(`welcome "${welcome.type}" left out: ${welcome.idWhy}`);

  // a stream: often on one connection, or seen away from any send
  const perConn = new Map<string, Map<number, number>>();
  for (const m of messages) {
    const c = perConn.get(m.type) ?? new Map<number, number>();
    c.set(m.conn, (c.get(m.conn) ?? 0) + 1);
    perConn.set(m.type, c);
  }
  const nearSend = (m: Message) => rec.sent.some((s) => s.conn === m.conn && m.at >= s.at && m.at - s.at <= REPLY_WINDOW_MS);
  // a reply comes after a send, at most once per send; a stream comes away from them, or more often
  const sendsOn = byConnection(rec.sent);
  const streams = Object.keys(seen).filter((t) => t !== welcomeType && ([...perConn.get(t)!].some(([conn, n]) => n > (sendsOn.get(conn)?.length ?? 0)) || messages.some((m) => m.type === t && !nearSend(m))));
  const streamSet = new Set(streams);
  const startedAfter = (s: Sent) => {
    const next = rec.sent.filter((x) => x.conn === s.conn && x.at > s.at).map((x) => x.at);
    const until = next.length ? Math.min(...next) : Infinity;
    return streams.filter((t) => {
      const at = firstArrivals(messages, t).get(s.conn);
      return at !== undefined && at >= s.at && at < until;
    });
  };
  const outcomes = inferSends(messages, rec.sent, streamSet, welcomeType, startedAfter);
  const subscribes = outcomes.filter((o) => o.kind === 'subscribe');
  const ping = outcomes.find((o) => o.kind === 'ping');
  const { autoStart, channelOf } = attribute(streams, subscribes, rec.sent, messages, rec.probeOf ?? []);
  const sse = rec.transport === 'sse' ? inferSse(rec, hints.url, streams, read.filter(onUrlProbe)) : undefined;
  const chosenInUrl = sse?.channels.names ?? new Map<string, string>();

  const doc: ProfileDocument = {
    name: hints.name,
    transport: rec.transport ?? 'websocket',
    path: hints.path,
    ...(hints.defaultPort !== undefined ? { defaultPort: hints.defaultPort } : {}),
    envelope: { type: env.type, payload: env.payload, timestamp: env.timestamp ?? 'timestamp', timestampUnit: env.unit },
    ...(sse ? { sse: sse.sse } : {}),
    channels: [],
  };
  if (sse) notes.push(...sse.notes);
  if (typeof welcome !== 'string' && welcome.idField !== undefined) {
    doc.welcome = { type: welcome.type, idField: welcome.idField };
    notes.push({ path: ['welcome', 'type'], text: welcome.why }, { path: ['welcome', 'idField'], text: welcome.idWhy });
  }
  const replies: NonNullable<ProfileDocument['replies']> = {};
  const control: NonNullable<ProfileDocument['control']> = {};
  const sub = subscribes[0];
  if (sub) {
    control.subscribe = templateOf(sub.message, sub.channelKey!);
    notes.push({ path: ['control', 'subscribe'], text: `--send #${sub.index + 1}: ${sub.why}` });
    if (sub.reply) {
      replies.subscribed = { type: sub.reply, ...(sub.echoField ? { channelField: sub.echoField } : {}) };
      notes.push({ path: ['replies', 'subscribed'], text: `the reply to the subscribe${sub.echoField ? `; ${sub.echoField} echoes the channel` : ''}` });
    }
    unknowns.push('no unsubscribe: learn sends none, so control.unsubscribe is left out (the unsubscribe probe is skipped)');
  } else if (sse) unknowns.push(...sse.unknowns);
  else unknowns.push(rec.sent.length === 0 ? 'no subscribe: nothing was sent (--send), so every channel is taken to stream by itself' : 'no subscribe: no --send message was echoed or started a stream');
  if (ping) {
    control.ping = ping.message as Record<string, unknown>;
    replies.pong = { type: ping.reply!, timestampField: ping.clockField! };
    notes.push({ path: ['control', 'ping'], text: `--send #${ping.index + 1}: ${ping.why}` });
  } else if (!sse) unknowns.push('no pong: no ping was sent (a --send whose reply carries a clock)');
  for (const o of outcomes.filter((x) => x.kind === 'other')) unknowns.push(`--send #${o.index + 1} ${JSON.stringify(o.message)}: ${o.why}`);
  if (!sse) unknowns.push('no error reply: learn sends no bad message, so replies.error is left out (the error probe is skipped)');
  unknowns.push('no fallback: learn watches the stream only; add fallback: <path> for a REST snapshot');

  const names = new Set<string>();
  streams.forEach((type) => {
    const i = doc.channels.length;
    const own = messages.filter((m) => m.type === type);
    const hint = hints.channels?.get(type);
    const subscribe = channelOf.get(type);
    const inUrl = chosenInUrl.get(type);
    // a name the URL asks with stays that: the harness writes it into the query again
    let name = (inUrl ?? hint?.name ?? (autoStart.has(type) ? type : subscribe?.channel ?? type)).replace(/\s+/g, '_');
    while (names.has(name)) name = `${name}_`;
    names.add(name);
    const cadence = inferCadence(own);
    const rising = inferRising(own);
    const shared = inferShared(own, rec.clients);
    const invariants = inferInvariants(own);
    const schema = hint?.payload ? { schema: hint.payload, why: {} as Record<string, string> } : inferPayloadSchema(own.map((m) => m.payload), rising.fields);
    // chosen in the URL: asked for as a subscribe would be (the harness writes the names into the query)
    const streamsAlone = inUrl === undefined && (autoStart.has(type) || !sub);
    const channel: ChannelDocument = {
      name,
      type,
      interval: formatInterval(cadence.intervalMs),
      autoStart: streamsAlone,
      snapshotOnSubscribe: cadence.snapshot,
      ...(rising.fields.length ? { rising: rising.fields } : {}),
      ...(shared.fields.length ? { shared: shared.fields } : {}),
      ...(invariants.fields.length ? { invariants: invariants.fields } : {}),
      payload: schema.schema,
    };
    doc.channels.push(channel);
    const at = (k: string) => ['channels', i, k];
    notes.push({ path: at('name'), text: `${own.length} "${type}" messages${hint ? '; the name from the AsyncAPI document' : inUrl !== undefined ? `; named by ?${sse!.sse.channelsParam}=${inUrl} in the URL` : streamsAlone ? '; named after its type' : subscribe ? `; named by --send #${subscribe.index + 1}` : ''}` });
    if (!streamsAlone && !subscribe && inUrl === undefined) unknowns.push(`channel ${name}: could not tell which --send started it; its name is its type, which may not be what a subscribe wants`);
    notes.push({ path: at('interval'), text: cadence.why });
    if (cadence.thin) unknowns.push(`channel ${name}: few gaps seen, its interval is rough (watch longer: --duration)`);
    notes.push({ path: at('autoStart'), text: inUrl !== undefined ? 'chosen in the URL' : streamsAlone ? (sub ? 'came before any subscribe on a connection' : sse?.sse.channelsParam ? 'came whichever channels the URL chose' : 'nothing subscribed it') : `came only after --send #${(subscribe?.index ?? 0) + 1}` });
    notes.push({ path: at('snapshotOnSubscribe'), text: cadence.snapshotWhy });
    notes.push({ path: [...at(rising.fields.length ? 'rising' : 'payload')], text: rising.why });
    notes.push({ path: at(shared.fields.length ? 'shared' : 'payload'), text: shared.why });
    if (shared.perClient.length && !shared.fields.length) notes.push({ path: at('payload'), text: `no shared fields: ${list(shared.perClient)} differ between clients at one tick` });
    notes.push({ path: at(invariants.fields.length ? 'invariants' : 'payload'), text: invariants.why });
    for (const [field, why] of Object.entries(schema.why)) notes.push({ path: [...at('payload'), 'properties', field], text: why });
    if (rising.why.startsWith('cannot')) unknowns.push(`channel ${name}: ${rising.why}`);
    if (rising.unsure) unknowns.push(`channel ${name}: ${rising.unsure}`);
    if (shared.why.startsWith('cannot')) unknowns.push(`channel ${name}: ${shared.why}`);
  });
  if (doc.channels.length === 0) throw new LearnFailure(`no message type streams: saw only ${list(Object.entries(seen).map(([t, n]) => `${t} x${n}`))}`);
  for (const c of doc.channels) if (!c.autoStart && !sub && !chosenInUrl.has(c.type)) c.autoStart = true;
  if (Object.keys(replies).length) doc.replies = replies;
  if (Object.keys(control).length) doc.control = control;
  const messagesSchemas: Record<string, JsonSchema> = {};
  for (const t of [welcomeType, ...outcomes.map((o) => o.reply)]) {
    if (t === undefined || messagesSchemas[t] || streamSet.has(t)) continue;
    if (t !== doc.welcome?.type && t !== replies.subscribed?.type && t !== replies.pong?.type) continue;
    messagesSchemas[t] = inferPayloadSchema(messages.filter((m) => m.type === t).map((m) => m.payload), [], false).schema;
  }
  if (Object.keys(messagesSchemas).length) doc.messages = messagesSchemas;
  return { document: doc, notes, unknowns, seen };
}
