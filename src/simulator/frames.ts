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

export interface Encoded {
  readonly type: string;
  /** The envelope as sent, kept for faults that derive a variant of it. */
  readonly envelope: Record<string, unknown>;
  readonly frame: Buffer;
}

/** The profile's envelope, stamped with the wall clock at build time in the profile's unit (ms, s or us). */
export function envelope(profile: TargetProfile, type: string, payload: unknown, nowMs: number): Record<string, unknown> {
  const e = profile.envelope;
  return { [e.typeField]: type, [e.payloadField]: payload, [e.timestampField]: timestampIn(profile, nowMs) };
}

export function encode(profile: TargetProfile, type: string, payload: unknown, nowMs: number = Date.now()): Encoded {
  const env = envelope(profile, type, payload, nowMs);
  return { type, envelope: env, frame: textFrame(JSON.stringify(env)) };
}
