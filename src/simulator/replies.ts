import type { TargetProfile } from '../profile/index.js';
import { encode, type Encoded } from './frames.js';

/**
 * The non-channel messages (welcome, confirmation, pong, error), shaped by the
 * profile: its reply types and named fields, and its reply schemas for the
 * rest. In a reply schema a `const` field gets its constant, an integer field
 * the server clock (the welcome's and the pong's `timestamp`), and the
 * confirmation's one free string field the channel it confirms.
 */
export class Replies {
  constructor(private readonly profile: TargetProfile) {}

  welcome(connectionId: string, nowMs: number = Date.now()): Encoded {
    const r = this.profile.replies;
    return this.build(r.welcome, { [r.welcomeIdField]: connectionId }, undefined, nowMs);
  }

  subscribed(channel: string, nowMs: number = Date.now()): Encoded {
    return this.build(this.profile.replies.subscribed, {}, channel, nowMs);
  }

  pong(nowMs: number = Date.now()): Encoded {
    const r = this.profile.replies;
    return this.build(r.pong, { [r.pongTimestampField]: nowMs }, undefined, nowMs);
  }

  error(text: string, nowMs: number = Date.now()): Encoded {
    const r = this.profile.replies;
    return this.build(r.error, { [r.errorTextField]: text }, undefined, nowMs);
  }

  private build(type: string, known: Record<string, unknown>, text: string | undefined, nowMs: number): Encoded {
    const schema = this.profile.replySchemas[type] ?? {};
    const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
    const payload: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(properties)) {
      if (name in known) payload[name] = known[name];
      else if ('const' in field) payload[name] = field.const;
      else if (field.type === 'integer' || field.type === 'number') payload[name] = nowMs;
      else if (field.type === 'string' && text !== undefined) payload[name] = text;
    }
    return encode(this.profile, type, { ...payload, ...known }, nowMs);
  }
}
