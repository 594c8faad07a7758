import type { ChannelDocument, ProfileDocument } from './document.js';
import type { JsonSchema } from './types.js';

/**
 * AsyncAPI 2.x and 3.0 documents, the ecosystem's description of event
 * APIs, read as profiles: channels, message names and payload schemas from
 * the document (through @asyncapi/parser, which validates it), and what
 * AsyncAPI has no field for from `x-livestream-*` extensions (docs/profile.md):
 * on the document `x-livestream-envelope`, `-welcome`, `-replies`,
 * `-control`, `-messages`; on a message `x-livestream-interval`, `-rising`,
 * `-shared`, `-invariants`, `-auto-start`, `-channel`. The parser is
 * loaded only when an AsyncAPI document is met.
 */
export interface AsyncApiChannel {
  readonly name: string;
  readonly type: string;
  readonly address?: string;
  readonly payload?: JsonSchema;
  readonly extensions: Record<string, unknown>;
}

export interface AsyncApiRead {
  readonly title: string;
  readonly channels: AsyncApiChannel[];
  readonly extensions: Record<string, unknown>;
  readonly problems: string[];
}

/** A document whose top level has an `asyncapi:` version key. */
export function isAsyncApiText(text: string): boolean {
  return /^["']?asyncapi["']?\s*:/m.test(text);
}

/** Drops the parser's own bookkeeping keys (x-parser-*) from a schema. */
function clean(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clean);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith('x-parser-')).map(([k, x]) => [k, clean(x)]));
  return v;
}

function extensionsOf(x: { extensions(): { all(): { id(): string; value(): unknown }[] } }): Record<string, unknown> {
  return Object.fromEntries(x.extensions().all().map((e) => [e.id(), e.value()]));
}

export async function readAsyncApi(text: string): Promise<AsyncApiRead> {
  const { Parser } = await import('@asyncapi/parser');
  const { document, diagnostics } = await new Parser().parse(text);
  const errors = diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join('.') || '(top)'}: ${d.message}`);
  if (!document) return { title: '', channels: [], extensions: {}, problems: errors.length ? errors : ['not an AsyncAPI document'] };
  const channels: AsyncApiChannel[] = [];
  for (const ch of document.channels().all()) {
    for (const m of ch.messages().all()) {
      const ext = extensionsOf(m);
      const payload = m.payload()?.json();
      channels.push({
        name: String(ext['x-livestream-channel'] ?? ch.id()),
        type: m.name() ?? m.id(),
        ...(ch.address() ? { address: ch.address()! } : {}),
        ...(payload ? { payload: clean(payload) as JsonSchema } : {}),
        extensions: ext,
      });
    }
  }
  return { title: document.info().title(), channels, extensions: extensionsOf(document), problems: errors };
}

/** The profile an AsyncAPI document describes, or the problems that keep it from being one. */
export function profileFromAsyncApi(read: AsyncApiRead): { document?: ProfileDocument; problems: string[] } {
  const problems = [...read.problems];
  const x = read.extensions;
  if (!x['x-livestream-envelope']) problems.push('x-livestream-envelope is missing: {type, payload, timestamp[, timestampUnit]} names where a message keeps its parts');
  const replies = new Set([...Object.values((x['x-livestream-replies'] ?? {}) as Record<string, { type?: string }>).map((r) => r.type), (x['x-livestream-welcome'] as { type?: string } | undefined)?.type]);
  const channels: ChannelDocument[] = [];
  for (const c of read.channels) {
    if (replies.has(c.type)) continue;
    const e = c.extensions;
    if (e['x-livestream-interval'] === undefined) {
      problems.push(`message ${c.type} has no x-livestream-interval (its cadence, e.g. 500ms)`);
      continue;
    }
    channels.push({
      name: c.name,
      type: c.type,
      interval: e['x-livestream-interval'] as string,
      ...(e['x-livestream-auto-start'] !== undefined ? { autoStart: Boolean(e['x-livestream-auto-start']) } : {}),
      ...(e['x-livestream-snapshot-on-subscribe'] !== undefined ? { snapshotOnSubscribe: Boolean(e['x-livestream-snapshot-on-subscribe']) } : {}),
      ...(e['x-livestream-rising'] ? { rising: e['x-livestream-rising'] as string[] } : {}),
      ...(e['x-livestream-shared'] ? { shared: e['x-livestream-shared'] as string[] } : {}),
      ...(e['x-livestream-invariants'] ? { invariants: e['x-livestream-invariants'] as string[] } : {}),
      payload: c.payload ?? { type: 'object' },
    });
  }
  if (problems.length) return { problems };
  const address = read.channels.find((c) => c.address?.startsWith('/'))?.address ?? '/';
  const document: ProfileDocument = {
    name: String(x['x-livestream-name'] ?? read.title.replace(/\s+/g, '-')),
    path: String(x['x-livestream-path'] ?? address),
    envelope: x['x-livestream-envelope'] as ProfileDocument['envelope'],
    channels,
    ...(x['x-livestream-welcome'] ? { welcome: x['x-livestream-welcome'] as ProfileDocument['welcome'] } : {}),
    ...(x['x-livestream-replies'] ? { replies: x['x-livestream-replies'] as ProfileDocument['replies'] } : {}),
    ...(x['x-livestream-control'] ? { control: x['x-livestream-control'] as ProfileDocument['control'] } : {}),
    ...(x['x-livestream-messages'] ? { messages: x['x-livestream-messages'] as ProfileDocument['messages'] } : {}),
    ...(x['x-livestream-default-port'] !== undefined ? { defaultPort: Number(x['x-livestream-default-port']) } : {}),
  };
  return { document, problems: [] };
}
