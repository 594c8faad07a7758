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

const NEEDS: Record<ProbeName, Need> = {
  app_ping: all(control('ping'), reply('pong')),
  ws_ping: () => undefined,
  invalid_json: reply('error'),
  subscribe_without_channel: all(control('subscribe'), reply('error')),
  unknown_channel: control('subscribe'),
  subscribe: control('subscribe'),
  second_subscribe: control('subscribe'),
  unsubscribe: all(control('subscribe'), control('unsubscribe')),
  resubscribe: control('subscribe'),
};

/** Why the probe cannot run on this profile, or undefined when it can. */
export function probeLacks(name: ProbeName, profile: TargetProfile): string | undefined {
  return NEEDS[name](profile);
}
