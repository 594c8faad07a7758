import { invariantValues, timestampMs, type ChannelSpec, type TargetProfile } from '../profile/index.js';
import { isUtf8 } from 'node:buffer';
import { tickSignature } from './consistency.js';
import type { MessageValidator } from './schema.js';

/** What one text frame says, once parsed and validated. Shared: read only. */
export interface ParsedFrame {
  /** The frame's type, or `invalid` when it is not UTF-8 JSON, `(none)` without a type. */
  readonly type: string;
  readonly json: boolean;
  /** False for a text frame that is not valid UTF-8 (RFC 6455 requires it). */
  readonly utf8: boolean;
  /** The first schema problem, when there is one. */
  readonly problem?: string;
  readonly payload?: Readonly<Record<string, unknown>>;
  readonly timestamp?: number;
  /** The tick's shared values (consistency.ts), for a channel message that has some. */
  readonly signature?: string;
  /** The first invariant of its channel the payload breaks, with the values it read. */
  readonly broken?: string;
  /** The start of the text, for a violation sample. */
  readonly excerpt?: string;
  /** The channel of the frame's type (the first with it), and its index in the profile's channels; -1 without one. */
  readonly channel?: ChannelSpec;
  readonly channelIndex: number;
  /** The channel's rising fields' values in this payload, in the order of `risingFields`. */
  readonly rising?: readonly unknown[];
}

/**
 * Every result has the same fields in the same order: the checks read them
 * once per message, and one shape keeps those reads monomorphic.
 */
function frame(type: string, json: boolean, utf8: boolean, rest: Partial<Omit<ParsedFrame, 'type' | 'json' | 'utf8' | 'channelIndex'>> & { channelIndex?: number } = {}): ParsedFrame {
  return {
    type,
    json,
    utf8,
    problem: rest.problem,
    payload: rest.payload,
    timestamp: rest.timestamp,
    signature: rest.signature,
    broken: rest.broken,
    excerpt: rest.excerpt,
    channel: rest.channel,
    channelIndex: rest.channelIndex ?? -1,
    rising: rest.rising,
  };
}

const RECENT = 8;

/**
 * Parses and validates text frames, remembering the last few distinct
 * frames. A broadcast server sends the same bytes to every client for a
 * tick, so all but the first client's copy are a byte comparison away from
 * a result already checked: the same bytes parse and validate the same way.
 * Everything that depends on the client (order, gaps, loss, latency) is
 * still judged per frame by the caller. UTF-8 is checked here too, once per
 * distinct frame, instead of by ws on every client's copy
 * (`skipUTF8Validation` in the load clients' options).
 */
export class FrameParser {
  private readonly recent: Buffer[] = [];
  private readonly results: ParsedFrame[] = [];
  private next = 0;
  private readonly recentText: string[] = [];
  private readonly textResults: ParsedFrame[] = [];
  private nextText = 0;

  constructor(
    private readonly profile: TargetProfile,
    private readonly validators: MessageValidator,
  ) {}

  parse(data: Buffer): ParsedFrame {
    const recent = this.recent;
    const n = recent.length;
    // newest first: a tick's copies come together, and the last tick of a
    // type often has the same length as this one, so an oldest-first scan
    // would compare whole frames that cannot match
    for (let k = 1; k <= n; k += 1) {
      const i = (this.next - k + RECENT) % RECENT;
      const b = recent[i];
      if (b !== undefined && b.length === data.length && b.equals(data)) return this.results[i];
    }
    const result = this.parseFresh(data);
    // keep a copy: the receive buffer is not ours to hold
    recent[this.next] = Buffer.from(data);
    this.results[this.next] = result;
    this.next = (this.next + 1) % RECENT;
    return result;
  }

  /**
   * The same for a message that came as text (a Server-Sent Event's data,
   * decoded by the transport): the same recent-copies shortcut, on strings.
   */
  parseText(text: string): ParsedFrame {
    const recent = this.recentText;
    const n = recent.length;
    for (let k = 1; k <= n; k += 1) {
      const i = (this.nextText - k + RECENT) % RECENT;
      if (recent[i] === text) return this.textResults[i];
    }
    const result = this.parseJson(text, () => text.slice(0, 120));
    recent[this.nextText] = text;
    this.textResults[this.nextText] = result;
    this.nextText = (this.nextText + 1) % RECENT;
    return result;
  }

  private parseFresh(data: Buffer): ParsedFrame {
    const excerpt = (): string => data.toString('utf8', 0, Math.min(data.length, 120));
    if (!isUtf8(data)) return frame('invalid', false, false, { excerpt: excerpt() });
    return this.parseJson(data.toString('utf8'), excerpt);
  }

  private parseJson(text: string, excerpt: () => string): ParsedFrame {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return frame('invalid', false, true, { excerpt: excerpt() });
    }
    const env = this.profile.envelope;
    const obj = (typeof message === 'object' && message !== null ? message : {}) as Record<string, unknown>;
    const type = typeof obj[env.typeField] === 'string' ? (obj[env.typeField] as string) : '(none)';
    const problem = this.validators.check(message, type);
    if (problem) return frame(type, true, true, { problem });
    const payload = obj[env.payloadField] as Record<string, unknown>;
    const channelIndex = this.profile.channels.findIndex((c) => c.messageType === type);
    const channel = channelIndex >= 0 ? this.profile.channels[channelIndex] : undefined;
    const shared = channel?.sharedFields ?? [];
    return frame(type, true, true, {
      payload,
      timestamp: timestampMs(this.profile, obj[env.timestampField] as number),
      signature: shared.length > 0 ? tickSignature(payload, shared) : undefined,
      broken: channel ? brokenInvariant(channel, payload) : undefined,
      channel,
      channelIndex,
      // read once per distinct frame, like the signature: every copy carries the same values
      rising: channel ? channel.risingFields.map((f) => payload[f]) : undefined,
    });
  }
}

/**
 * The first invariant a payload breaks, as the violation's detail:
 *   "current <= peak" broken: current=801000, peak=800000
 * Judged once per distinct frame, like the schema.
 */
export function brokenInvariant(channel: ChannelSpec, payload: Readonly<Record<string, unknown>>): string | undefined {
  for (const inv of channel.invariants) {
    if (inv.check(payload) === false) return `${channel.messageType}: "${inv.text}" broken: ${invariantValues(inv, payload)}`;
  }
  return undefined;
}
