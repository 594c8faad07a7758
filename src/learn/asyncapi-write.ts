import { Document } from 'yaml';
import type { ProfileDocument } from '../profile/index.js';

/**
 * A profile as an AsyncAPI 3.0 document, so the description can live in a
 * team's spec tooling: one channel per profile channel (its address the
 * stream's path), one message each with its payload schema, a receive
 * operation per channel, and what AsyncAPI has no field for as
 * `x-livestream-*` extensions (read back by src/profile/asyncapi.ts).
 */
export function profileToAsyncApi(doc: ProfileDocument): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const c of doc.channels) {
    const id = c.name.replace(/[^A-Za-z0-9_.-]/g, '_');
    channels[id] = {
      address: doc.path,
      messages: {
        [c.type]: {
          name: c.type,
          payload: c.payload,
          'x-livestream-channel': c.name,
          'x-livestream-interval': String(c.interval),
          ...(c.autoStart !== undefined ? { 'x-livestream-auto-start': c.autoStart } : {}),
          ...(c.snapshotOnSubscribe !== undefined ? { 'x-livestream-snapshot-on-subscribe': c.snapshotOnSubscribe } : {}),
          ...(c.rising ? { 'x-livestream-rising': c.rising } : {}),
          ...(c.shared ? { 'x-livestream-shared': c.shared } : {}),
          ...(c.invariants ? { 'x-livestream-invariants': c.invariants } : {}),
        },
      },
    };
    operations[`receive_${id}`] = { action: 'receive', channel: { $ref: `#/channels/${id}` }, messages: [{ $ref: `#/channels/${id}/messages/${c.type}` }] };
  }
  return {
    asyncapi: '3.0.0',
    info: { title: doc.name, version: '0.1.0', description: 'Written by livestream-bench learn --format asyncapi' },
    channels,
    operations,
    'x-livestream-name': doc.name,
    'x-livestream-path': doc.path,
    ...(doc.defaultPort !== undefined ? { 'x-livestream-default-port': doc.defaultPort } : {}),
    'x-livestream-envelope': doc.envelope,
    ...(doc.welcome ? { 'x-livestream-welcome': doc.welcome } : {}),
    ...(doc.replies ? { 'x-livestream-replies': doc.replies } : {}),
    ...(doc.control ? { 'x-livestream-control': doc.control } : {}),
    ...(doc.messages ? { 'x-livestream-messages': doc.messages } : {}),
  };
}

export function asyncApiYaml(doc: ProfileDocument, header: string): string {
  const d = new Document(profileToAsyncApi(doc));
  d.commentBefore = ` ${header}`;
  return d.toString({ lineWidth: 0 });
}
