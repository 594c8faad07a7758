import type { ProbeName } from '../metrics/probe-results.js';
import type { TargetProfile } from '../profile/index.js';

/**
 * What each probe needs the profile to say. A profile may leave out any
 * control message or reply (docs/profile.md); a probe whose message or
 * reply the stream does not have is skipped with that reason, never
 * failed: the stream cannot be faulted for a message it does not define.
 *   no control.ping -> app_ping skipped "the profile has no control.ping"
 */
type Need = (p: TargetProfile) => string | undefined;

const control = (key: 'subscribe' | 'unsubscribe' | 'ping'): Need => (p) => (p.control[key] ? undefined : `the profile has no control.${key}`);
const reply = (key: 'pong' | 'error' | 'subscribed'): Need => (p) => (p.replies[key] ? undefined : `the profile has no ${key} reply`);
const all = (...needs: Need[]): Need => (p) => needs.map((n) => n(p)).find((why) => why !== undefined);

/** A probe that sends something: a stream without client messages (SSE) has nothing to send it on. */
const sends: Need = (p) => (p.transport === 'sse' ? 'Server-Sent Events carry no client messages' : undefined);
/** A subscription probe: an SSE stream's channels are chosen in its URL. */
const subscribes: Need = (p) =>
  p.transport !== 'sse' ? undefined : p.sse?.channelsParam !== undefined ? `channels are chosen in the URL (?${p.sse.channelsParam}=...), not by a subscribe message` : 'every channel of this SSE stream streams by itself, none is subscribed';

const NEEDS: Record<ProbeName, Need> = {
  app_ping: all(sends, control('ping'), reply('pong')),
  ws_ping: (p) => (p.transport === 'sse' ? 'Server-Sent Events have no protocol-level ping (their keepalive is the heartbeat)' : undefined),
  invalid_json: all(sends, reply('error')),
  subscribe_without_channel: all(subscribes, control('subscribe'), reply('error')),
  unknown_channel: all(subscribes, control('subscribe')),
  subscribe: all(subscribes, control('subscribe')),
  second_subscribe: all(subscribes, control('subscribe')),
  unsubscribe: all(subscribes, control('subscribe'), control('unsubscribe')),
  resubscribe: all(subscribes, control('subscribe')),
  heartbeat: (p) => (p.transport !== 'sse' ? 'only Server-Sent Events have heartbeat comments' : p.sse?.heartbeatMs === undefined ? 'the profile declares no sse.heartbeat' : undefined),
};

/** Why the probe cannot run on this profile, or undefined when it can. */
export function probeLacks(name: ProbeName, profile: TargetProfile): string | undefined {
  return NEEDS[name](profile);
}
