import { Ajv } from 'ajv';
import { readDuration, UnitRefusal } from '../source/units.js';
import { compileInvariant, InvariantError } from './invariant.js';
import { PROFILE_SCHEMA, type ChannelDocument, type ProfileDocument } from './document.js';
import type { ChannelSpec, ControlMessages, JsonSchema, SseSpec, TargetProfile, Timeline } from './types.js';
import { ajvProblem, displayPath, formatProblems, parseSource, sortedProblems, type SourceProblem } from '../source/yaml-doc.js';

/**
 * Profile files to TargetProfile: every problem collected with its position
 * (`validate --profile`), then the document built into what the harness and
 * the simulator read. A document that passed here is trusted on the other
 * side of a process boundary and built again with `profileFromDocument`.
 */
export interface ParsedProfile {
  profile?: TargetProfile;
  problems: SourceProblem[];
}

const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, verbose: true, strict: false });
const validateDocument = ajv.compile(PROFILE_SCHEMA);
/** Payload schemas are the user's JSON Schema: compiled here only to find the ones that do not compile. */
const payloadAjv = new Ajv({ allErrors: false, strict: false });

/** `500ms`, `2s`, `1m` (src/source/units.ts); a bare number says nothing of its unit and is refused. */
export function profileDuration(value: string | number): number | string {
  const ms = readDuration(value);
  if (ms instanceof UnitRefusal) return ms.bare ? ms.hint : `must be a time such as 500ms or 2s (got ${JSON.stringify(value)})`;
  return ms > 0 ? ms : 'must be more than 0';
}

const CHANNEL_MARK = '{channel}';

/** A template with every "{channel}" value replaced by the channel; nothing else is touched. */
function fill(template: unknown, channel: string): unknown {
  if (template === CHANNEL_MARK) return channel;
  if (typeof template === 'string') return template.split(CHANNEL_MARK).join(channel);
  if (Array.isArray(template)) return template.map((t) => fill(t, channel));
  if (template && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fill(v, channel)]));
  }
  return template;
}

function mentionsChannel(template: unknown): boolean {
  if (typeof template === 'string') return template.includes(CHANNEL_MARK);
  if (template && typeof template === 'object') return Object.values(template).some(mentionsChannel);
  return false;
}

function payloadFields(schema: JsonSchema): string[] {
  return Object.keys((schema.properties as Record<string, unknown> | undefined) ?? {});
}

/** The checks a JSON Schema cannot say, each at its position. */
function semanticProblems(doc: ProfileDocument, at: (pointer: string, message: string) => void): void {
  const names = new Set<string>();
  const types = new Set<string>();
  const r = doc.replies ?? {};
  const replyTypes = [doc.welcome?.type, r.subscribed?.type, r.pong?.type, r.error?.type].filter((t) => t !== undefined);
  doc.channels.forEach((c, i) => {
    const here = `/channels/${i}`;
    if (names.has(c.name)) at(`${here}/name`, `channel "${c.name}" is named twice`);
    names.add(c.name);
    if (types.has(c.type)) at(`${here}/type`, `message type "${c.type}" is used by two channels`);
    types.add(c.type);
    if (replyTypes.includes(c.type)) at(`${here}/type`, `message type "${c.type}" is also a reply's type`);
    const interval = profileDuration(c.interval);
    if (typeof interval === 'string') at(`${here}/interval`, `${displayPath(`${here}/interval`)} ${interval}`);
    try {
      payloadAjv.compile(c.payload);
    } catch (e) {
      at(`${here}/payload`, `${displayPath(`${here}/payload`)} is not a JSON Schema: ${(e as Error).message}`);
    }
    const fields = payloadFields(c.payload);
    for (const key of ['rising', 'shared'] as const) {
      (c[key] ?? []).forEach((f, j) => {
        if (!fields.includes(f)) at(`${here}/${key}/${j}`, `${key} field "${f}" is not a property of the payload`);
      });
    }
    (c.invariants ?? []).forEach((text, j) => {
      try {
        const inv = compileInvariant(text);
        for (const f of inv.fields) {
          if (!fields.includes(f.split('.')[0])) at(`${here}/invariants/${j}`, `invariant "${text}" reads "${f}", which is not a property of the payload`);
        }
      } catch (e) {
        const where = e instanceof InvariantError ? ` at character ${e.index + 1}` : '';
        at(`${here}/invariants/${j}`, `invariant "${text}" is not an expression${where}: ${(e as Error).message}`);
      }
    });
  });
  if (doc.control?.unsubscribe && !doc.control.subscribe) at('/control/unsubscribe', 'control.unsubscribe needs a control.subscribe beside it');
  for (const [key, template] of Object.entries(doc.control ?? {})) {
    if (key !== 'ping' && !mentionsChannel(template)) at(`/control/${key}`, `control.${key} must carry "${CHANNEL_MARK}" where the channel goes`);
  }
  for (const [type, schema] of Object.entries(doc.messages ?? {})) {
    try {
      payloadAjv.compile(schema);
    } catch (e) {
      at(`/messages/${type}`, `messages.${type} is not a JSON Schema: ${(e as Error).message}`);
    }
  }
  for (const [key, value] of Object.entries(doc.timeline ?? {})) {
    const d = profileDuration(value as string | number);
    if (typeof d === 'string') at(`/timeline/${key}`, `timeline.${key} ${d}`);
  }
  for (const key of ['heartbeat', 'retry'] as const) {
    const value = doc.sse?.[key];
    if (value === undefined) continue;
    const d = profileDuration(value);
    if (typeof d === 'string') at(`/sse/${key}`, `sse.${key} ${d}`);
  }
}

/** Parses and checks a profile's text; `profile` is set only when there is no problem. */
export function parseProfile(text: string): ParsedProfile {
  const source = parseSource(text);
  if (source.problems.length > 0) return { problems: sortedProblems(source.problems) };
  const data = source.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    source.at('', 'a profile must be a mapping (name:, path:, envelope:, channels: ...), see docs/profile.md');
    return { problems: source.problems };
  }
  if (!validateDocument(data)) {
    for (const e of validateDocument.errors ?? []) {
      const p = ajvProblem(e, PROFILE_SCHEMA);
      source.at(p.pointer, p.message, p.key);
    }
    return { problems: sortedProblems(source.problems) };
  }
  const doc = data as unknown as ProfileDocument;
  semanticProblems(doc, (pointer, message) => source.at(pointer, message));
  if (source.problems.length > 0) return { problems: sortedProblems(source.problems) };
  return { profile: profileFromDocument(doc), problems: [] };
}

export function profileProblemsText(file: string, problems: readonly SourceProblem[]): string {
  return `profile ${file} has ${problems.length} problem(s):\n${formatProblems(file, problems).join('\n')}`;
}

function timelineFrom(t: ProfileDocument['timeline']): Timeline {
  const read = (v: string | undefined) => (v === undefined ? undefined : (profileDuration(v) as number));
  const out: { -readonly [K in keyof Timeline]: Timeline[K] } = {};
  const upgradeMs = read(t?.upgrade);
  const welcomeMs = read(t?.welcome);
  const firstMessageMs = read(t?.firstMessage);
  if (upgradeMs !== undefined) out.upgradeMs = upgradeMs;
  if (welcomeMs !== undefined) out.welcomeMs = welcomeMs;
  if (firstMessageMs !== undefined) out.firstMessageMs = firstMessageMs;
  return out;
}

/** `subscribes`: channels are asked for (a subscribe message, or an SSE URL's channel list); otherwise every channel streams by itself. */
function channelFrom(c: ChannelDocument, subscribes: boolean): ChannelSpec {
  return {
    channel: c.name,
    messageType: c.type,
    intervalMs: profileDuration(c.interval) as number,
    autoStart: !subscribes || (c.autoStart ?? false),
    payloadSchema: c.payload,
    risingFields: c.rising ?? [],
    sharedFields: c.shared ?? [],
    plannedBytes: c.plannedBytes ?? 0,
    snapshotOnSubscribe: c.snapshotOnSubscribe ?? false,
    invariants: (c.invariants ?? []).map(compileInvariant),
  };
}

/** Builds the profile from a document that has been checked (by `parseProfile`, here or in another process). */
export function profileFromDocument(doc: ProfileDocument): TargetProfile {
  const { subscribe, unsubscribe, ping } = doc.control ?? {};
  const control: ControlMessages = {
    ...(subscribe ? { subscribe: (channel: string) => fill(subscribe, channel) } : {}),
    ...(unsubscribe ? { unsubscribe: (channel: string) => fill(unsubscribe, channel) } : {}),
    ...(ping ? { ping: () => structuredClone(ping) } : {}),
  };
  const r = doc.replies ?? {};
  return {
    name: doc.name,
    transport: doc.transport ?? 'websocket',
    document: doc,
    path: doc.path,
    defaultPort: doc.defaultPort ?? 9003,
    ...(doc.fallback !== undefined ? { fallbackPath: doc.fallback } : {}),
    envelope: {
      typeField: doc.envelope.type,
      payloadField: doc.envelope.payload,
      timestampField: doc.envelope.timestamp,
      timestampUnit: doc.envelope.timestampUnit ?? 'ms',
    },
    replies: {
      ...(doc.welcome ? { welcome: doc.welcome.type, welcomeIdField: doc.welcome.idField } : {}),
      ...(r.subscribed ? { subscribed: r.subscribed.type } : {}),
      ...(r.subscribed?.channelField !== undefined ? { subscribedChannelField: r.subscribed.channelField } : {}),
      ...(r.pong ? { pong: r.pong.type } : {}),
      pongTimestampField: r.pong?.timestampField ?? doc.envelope.timestamp,
      ...(r.error ? { error: r.error.type } : {}),
      ...(r.error?.textField !== undefined ? { errorTextField: r.error.textField } : {}),
    },
    control,
    // an SSE stream whose channels are chosen in the URL has them asked for, as a subscribe would
    channels: doc.channels.map((c) => channelFrom(c, subscribe !== undefined || (doc.transport === 'sse' && doc.sse?.channelsParam !== undefined))),
    replySchemas: doc.messages ?? {},
    timeline: timelineFrom(doc.timeline),
    ...(doc.transport === 'sse' ? { sse: sseFrom(doc.sse) } : {}),
  };
}

function sseFrom(d: ProfileDocument['sse']): SseSpec {
  const read = (v: string | undefined) => (v === undefined ? undefined : (profileDuration(v) as number));
  const heartbeatMs = read(d?.heartbeat);
  const retryMs = read(d?.retry);
  return {
    ...(d?.channelsParam !== undefined ? { channelsParam: d.channelsParam } : {}),
    ...(heartbeatMs !== undefined ? { heartbeatMs } : {}),
    ...(retryMs !== undefined ? { retryMs } : {}),
  };
}
