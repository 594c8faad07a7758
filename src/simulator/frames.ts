import * as wsModule from 'ws';
import { timestampIn, type TargetProfile } from '../profile/index.js';

/**
 * Messages are serialised and framed once, then the same Buffer is written to
 * every socket that should get them. ws's own `Sender.frame` builds the
 * header (server frames are unmasked, so header + payload is the whole frame);
 * @types/ws does not declare it, hence the narrow type below.
 */

interface FrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
}
const Sender = (wsModule as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } }).Sender;

const TEXT: FrameOptions = { fin: true, opcode: 0x1, mask: false, readOnly: true, rsv1: false };

/** One complete, unmasked text frame carrying `data`. */
export function textFrame(data: string | Buffer): Buffer {
  const parts = Sender.frame(typeof data === 'string' ? Buffer.from(data) : data, TEXT);
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/**
 * One Server-Sent Event carrying `data` (one line: JSON has no raw newline),
 * with its id when it has one. The id of a channel tick is its instant on
 * the wall-clock grid and its channel, so every process of a cluster names
 * the same tick alike and a resume can tell what came after it.
 */
export function sseEvent(data: string, id?: string): Buffer {
  return Buffer.from(id === undefined ? `data: ${data}\n\n` : `id: ${id}\ndata: ${data}\n\n`);
}

export function sseId(at: number, channelIndex: number): string {
  return `${at}-${channelIndex}`;
}

/** A message's bytes on the wire of the profile's transport: a text frame, or an event. */
export function frameFor(profile: TargetProfile, text: string, id?: string): Buffer {
  return profile.transport === 'sse' ? sseEvent(text, id) : textFrame(text);
}

export interface Encoded {
  readonly type: string;
  /** The envelope as sent, kept for faults that derive a variant of it. */
  readonly envelope: Record<string, unknown>;
  readonly frame: Buffer;
  /** The SSE event id, for a channel tick. */
  readonly id?: string;
}

/** The profile's envelope, stamped with the wall clock at build time in the profile's unit (ms, s or us). */
export function envelope(profile: TargetProfile, type: string, payload: unknown, nowMs: number): Record<string, unknown> {
  const e = profile.envelope;
  return { [e.typeField]: type, [e.payloadField]: payload, [e.timestampField]: timestampIn(profile, nowMs) };
}

/** `id`: the SSE event id of a channel tick (sseId); WebSocket frames have none. */
export function encode(profile: TargetProfile, type: string, payload: unknown, nowMs: number = Date.now(), id?: string): Encoded {
  const env = envelope(profile, type, payload, nowMs);
  return { type, envelope: env, frame: frameFor(profile, JSON.stringify(env), id), ...(id !== undefined ? { id } : {}) };
}
