import type { TargetProfile } from '../profile/index.js';
import type { MessageValidator } from './schema.js';

/** What one text frame says, once parsed and validated. Shared: read only. */
export interface ParsedFrame {
  /** The frame's type, or `invalid` when it is not JSON, `(none)` without a type. */
  readonly type: string;
  readonly json: boolean;
  /** The first schema problem, when there is one. */
  readonly problem?: string;
  readonly payload?: Readonly<Record<string, unknown>>;
  readonly timestamp?: number;
  /** The start of the text, for a violation sample. */
  readonly excerpt?: string;
}

const RECENT = 8;

/**
 * Parses and validates text frames, remembering the last few distinct
 * frames. A broadcast server sends the same bytes to every client for a
 * tick, so all but the first client's copy are a byte comparison away from
 * a result already checked: the same bytes parse and validate the same way.
 * Everything that depends on the client (order, gaps, loss, latency) is
 * still judged per frame by the caller.
 */
export class FrameParser {
  private readonly recent: Buffer[] = [];
  private readonly results: ParsedFrame[] = [];
  private next = 0;

  constructor(
    private readonly profile: TargetProfile,
    private readonly validators: MessageValidator,
  ) {}

  parse(data: Buffer): ParsedFrame {
    const recent = this.recent;
    for (let i = 0; i < recent.length; i += 1) {
      const b = recent[i];
      if (b.length === data.length && b.equals(data)) return this.results[i];
    }
    const result = this.parseFresh(data);
    // keep a copy: the receive buffer is not ours to hold
    recent[this.next] = Buffer.from(data);
    this.results[this.next] = result;
    this.next = (this.next + 1) % RECENT;
    return result;
  }

  private parseFresh(data: Buffer): ParsedFrame {
    let message: unknown;
    try {
      message = JSON.parse(data.toString('utf8'));
    } catch {
      return { type: 'invalid', json: false, excerpt: data.toString('utf8', 0, Math.min(data.length, 120)) };
    }
    const env = this.profile.envelope;
    const obj = (typeof message === 'object' && message !== null ? message : {}) as Record<string, unknown>;
    const type = typeof obj[env.typeField] === 'string' ? (obj[env.typeField] as string) : '(none)';
    const problem = this.validators.check(message, type);
    if (problem) return { type, json: true, problem };
    return {
      type,
      json: true,
      payload: obj[env.payloadField] as Record<string, unknown>,
      timestamp: obj[env.timestampField] as number,
    };
  }
}
