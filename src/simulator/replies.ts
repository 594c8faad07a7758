import { timestampIn, type TargetProfile } from '../profile/index.js';
import { encode, type Encoded } from './frames.js';
import { keyedHash, stringKey } from './prng.js';
import { compileSchema, type Generate } from './schema-values.js';
import { Draw } from './smooth-noise.js';

/**
 * The non-channel messages (welcome, confirmation, pong, error), shaped by the
 * profile. The fields the profile names are filled with what they mean:
 *
 *   welcome    idField           the connection's id
 *   subscribed channelField      the channel confirmed
 *   pong       timestampField    the server clock, in the envelope's unit
 *   error      textField         the error's text
 *
 * A payload field named like the envelope's timestamp also carries the
 * server clock (the real server's welcome repeats its envelope stamp). Every
 * other field of the reply's schema (`messages:` in the profile) is drawn
 * from that schema, e.g. a `status: {const: subscribed}`.
 */
export class Replies {
  private readonly drawn = new Map<string, Generate | undefined>();
  private readonly noise = keyedHash(0, stringKey('replies'));

  constructor(private readonly profile: TargetProfile) {}

  /** `id` names the connection, unless the profile's schema of that field refuses it (a pattern it does not match): then a drawn one. */
  welcome(id: string, nowMs: number = Date.now()): Encoded | undefined {
    const r = this.profile.replies;
    if (r.welcome === undefined || r.welcomeIdField === undefined) return undefined;
    const field = (this.profile.replySchemas[r.welcome]?.properties as Record<string, Record<string, unknown>> | undefined)?.[r.welcomeIdField];
    const refused = typeof field?.pattern === 'string' && !new RegExp(field.pattern, 'u').test(id);
    // drawn from the connection's own id, so two connections in one second differ
    return this.build(r.welcome, refused ? {} : { [r.welcomeIdField]: id }, nowMs, stringKey(id));
  }

  subscribed(channel: string, nowMs: number = Date.now()): Encoded | undefined {
    const r = this.profile.replies;
    if (r.subscribed === undefined) return undefined;
    return this.build(r.subscribed, r.subscribedChannelField === undefined ? {} : { [r.subscribedChannelField]: channel }, nowMs);
  }

  pong(nowMs: number = Date.now()): Encoded | undefined {
    const r = this.profile.replies;
    if (r.pong === undefined) return undefined;
    return this.build(r.pong, { [r.pongTimestampField]: timestampIn(this.profile, nowMs) }, nowMs);
  }

  error(text: string, nowMs: number = Date.now()): Encoded | undefined {
    const r = this.profile.replies;
    if (r.error === undefined) return undefined;
    return this.build(r.error, r.errorTextField === undefined ? {} : { [r.errorTextField]: text }, nowMs);
  }

  private generator(type: string): Generate | undefined {
    if (!this.drawn.has(type)) {
      const schema = this.profile.replySchemas[type];
      this.drawn.set(type, schema ? compileSchema(schema).generate : undefined);
    }
    return this.drawn.get(type);
  }

  private build(type: string, known: Record<string, unknown>, nowMs: number, drawIndex = Math.floor(nowMs / 1000)): Encoded {
    const generate = this.generator(type);
    const drawn = generate?.(new Draw(this.noise, drawIndex, 0));
    const payload: Record<string, unknown> = drawn && typeof drawn === 'object' && !Array.isArray(drawn) ? (drawn as Record<string, unknown>) : {};
    const clock = this.profile.envelope.timestampField;
    if (typeof payload[clock] === 'number') payload[clock] = timestampIn(this.profile, nowMs);
    return encode(this.profile, type, { ...payload, ...known }, nowMs);
  }
}
