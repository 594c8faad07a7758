import { Ajv } from 'ajv';
import { describe, expect, test } from 'vitest';
import { findProfile, parseProfile, type TargetProfile } from '../../src/profile/index.js';
import type { Encoded } from '../../src/simulator/frames.js';
import { Replies } from '../../src/simulator/replies.js';
import { randomProfile } from './random-profile.js';

/** Replies are shaped by the profile: named fields carry their meaning, the rest is drawn from the reply's schema. */

const aurigraph = findProfile('aurigraph-v11')!;
const ticker = findProfile('ticker-demo')!;
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0, 250);
const ajv = new Ajv({ strict: false });

function parts(profile: TargetProfile, made: Encoded | undefined) {
  if (!made) throw new Error('the profile has no such reply');
  const m = made;
  const e = profile.envelope;
  return { type: m.envelope[e.typeField], payload: m.envelope[e.payloadField] as Record<string, unknown>, stamp: m.envelope[e.timestampField], wire: JSON.parse(m.frame.subarray(m.frame.indexOf('{')).toString()) };
}

describe('replies from the profile', () => {
  test.each([aurigraph, ticker, randomProfile(3), randomProfile(4)])('$name: every reply matches its schema, named fields filled', (profile) => {
    const r = new Replies(profile);
    const id = '0b7c1f3e-9d2a-4c55-8e1f-3a6b9c0d2e4f';
    const made = { welcome: r.welcome(id, NOW)!, subscribed: r.subscribed(profile.channels[0].channel, NOW)!, pong: r.pong(NOW)!, error: r.error('Channel not specified', NOW)! };
    const stampIn = profile.envelope.timestampUnit === 's' ? NOW / 1000 : profile.envelope.timestampUnit === 'us' ? NOW * 1000 : NOW;
    for (const [kind, m] of Object.entries(made)) {
      const p = parts(profile, m);
      expect(p.stamp, kind).toBe(stampIn);
      const schema = profile.replySchemas[String(p.type)];
      if (schema) expect(ajv.validate(schema, p.payload), `${kind} ${JSON.stringify(ajv.errors)}`).toBe(true);
    }
    const rep = profile.replies;
    expect(parts(profile, made.welcome).type).toBe(rep.welcome);
    expect(parts(profile, made.welcome).payload[rep.welcomeIdField!]).toBe(id);
    if (rep.subscribedChannelField) expect(parts(profile, made.subscribed).payload[rep.subscribedChannelField]).toBe(profile.channels[0].channel);
    expect(parts(profile, made.pong).payload[rep.pongTimestampField]).toBe(stampIn);
    expect(parts(profile, made.error).payload[rep.errorTextField!]).toBe('Channel not specified');
  });

  test('aurigraph-v11: the confirmation says status subscribed; the welcome repeats its envelope stamp', () => {
    const r = new Replies(aurigraph);
    expect(parts(aurigraph, r.subscribed('x', NOW)).payload).toEqual({ channel: 'x', status: 'subscribed' });
    const welcome = parts(aurigraph, r.welcome('0b7c1f3e-9d2a-4c55-8e1f-3a6b9c0d2e4f', NOW));
    expect(welcome.payload.timestamp).toBe(welcome.stamp);
  });

  test('ticker-demo: pong time in fractional seconds', () => {
    const pong = parts(ticker, new Replies(ticker).pong(NOW));
    expect(pong.payload).toEqual({ time: NOW / 1000 });
    expect(pong.wire.ts).toBe(1780315200.25);
  });

  test('an id the schema refuses (a pattern) is replaced by one drawn from it, different per connection', () => {
    const text = JSON.stringify({
      ...ticker.document,
      messages: { ...ticker.document.messages, hello: { type: 'object', required: ['session'], properties: { session: { type: 'string', pattern: '^S[0-9]{6}$' } } } },
    });
    const profile = parseProfile(text).profile!;
    const r = new Replies(profile);
    const a = parts(profile, r.welcome('0b7c1f3e-9d2a-4c55-8e1f-3a6b9c0d2e4f', NOW)).payload.session as string;
    const b = parts(profile, r.welcome('77777777-9d2a-4c55-8e1f-3a6b9c0d2e4f', NOW)).payload.session as string;
    expect(a).toMatch(/^S[0-9]{6}$/);
    expect(b).toMatch(/^S[0-9]{6}$/);
    expect(a).not.toBe(b);
  });
});
