import type { TargetProfile } from '../profile/index.js';

/**
 * Reading client messages in the profile's own vocabulary. The profile only
 * says how a client *builds* its control messages; calling those builders
 * with a probe channel shows which fields name the message (e.g.
 * `kind: "add"`) and which field carries the channel.
 */

export type ControlMessage =
  | { readonly kind: 'subscribe' | 'unsubscribe'; readonly channel: string | undefined }
  | { readonly kind: 'ping' }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'unknown'; readonly type: string };

interface Matcher {
  readonly kind: 'subscribe' | 'unsubscribe' | 'ping';
  /** Fields whose value identifies the message. */
  readonly fixed: ReadonlyArray<readonly [string, unknown]>;
  readonly channelField: string | undefined;
}

const PROBE = '\u0000probe-channel';

function matcher(kind: Matcher['kind'], built: unknown): Matcher {
  const entries = Object.entries((built ?? {}) as Record<string, unknown>);
  return {
    kind,
    fixed: entries.filter(([, v]) => v !== PROBE),
    channelField: entries.find(([, v]) => v === PROBE)?.[0],
  };
}

export type ControlReader = (text: string) => ControlMessage;

export function controlReader(profile: TargetProfile): ControlReader {
  const { subscribe, unsubscribe, ping } = profile.control;
  // only the messages the profile defines are recognised; anything else is an unknown one
  const matchers = [
    subscribe && matcher('subscribe', subscribe(PROBE)),
    unsubscribe && matcher('unsubscribe', unsubscribe(PROBE)),
    ping && matcher('ping', ping()),
  ].filter((m): m is Matcher => m !== undefined);
  // The field every template fixes names a client message; its value is what an unknown one is called.
  const [first = [], ...rest] = matchers.map((m) => m.fixed.map(([k]) => k));
  const typeField = first.find((k) => rest.every((keys) => keys.includes(k))) ?? profile.envelope.typeField;
  return (text) => {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return { kind: 'invalid' };
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return { kind: 'invalid' };
    const fields = msg as Record<string, unknown>;
    for (const m of matchers) {
      if (!m.fixed.every(([k, v]) => fields[k] === v)) continue;
      if (m.kind === 'ping') return { kind: 'ping' };
      const channel = m.channelField === undefined ? undefined : fields[m.channelField];
      return { kind: m.kind, channel: typeof channel === 'string' && channel !== '' ? channel : undefined };
    }
    return { kind: 'unknown', type: String(fields[typeField]) };
  };
}
