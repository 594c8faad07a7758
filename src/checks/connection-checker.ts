import { ChannelStream } from './channel-stream.js';
import { TIMESTAMP_SKEW_LIMIT_MS, type CheckContext } from './context.js';
import type { ParsedFrame } from './frame-parser.js';

/**
 * A parsed, checked message the engine may act on (pong, confirmation,
 * error): the parser's shared, read-only result, so nothing is built per frame.
 */
export type Checked = ParsedFrame & { readonly payload: Readonly<Record<string, unknown>>; readonly timestamp: number };

/**
 * What a connection carries over from the one before it: after a churn,
 * from the one the harness closed; after any close of a stream that
 * resumes (SSE with `Last-Event-ID`), from the last one, whoever closed it.
 */
export interface ChurnCarry {
  /** Harness wall ms of the close. */
  closedAt: number;
  /** The last tick's server timestamp, by message type. */
  lastTs: ReadonlyMap<string, number>;
  /** The server was asked to resume after the last tick: what it does not send of the gap is lost. */
  resume?: boolean;
}

/**
 * Checks every frame of one connection: text, JSON, schema, welcome first,
 * timestamp plausibility, latency, bandwidth; channel messages go on to
 * their ChannelStream. Everything it finds goes to the recorder.
 */
export class ConnectionChecker {
  private readonly streams = new Map<string, ChannelStream>();
  /**
   * The stream of each of the profile's channels, by index: what the map
   * gives for its type, without hashing per message. The first four are
   * fields of the checker, the rest an array: at 5,000 clients every
   * object between a frame and its stream is a cache miss, and an array is
   * two (itself and its elements), each ~2 % of the harness's CPU
   * (bench/README.md).
   */
  private readonly c0: ChannelStream | undefined;
  private readonly c1: ChannelStream | undefined;
  private readonly c2: ChannelStream | undefined;
  private readonly c3: ChannelStream | undefined;
  private readonly further: ChannelStream[];
  private welcomed = false;
  private frames = 0;
  private steadyBytes = 0;
  private finished = false;
  /** A self-starting channel has delivered (the timeline's first message is recorded once). */
  private firstAutoSeen = false;
  private readonly openedAt: number;
  /** When the connect began (TCP + upgrade before `openedAt`), for the planned timeline. */
  private readonly attemptAt: number;
  /** Opened as a resume of the connection before (SSE `Last-Event-ID`). */
  private readonly resumed: boolean;

  /**
   * `light`: cheap accounting only (frames, bytes, type, timestamps, latency,
   * loss and cadence) for capacity runs with --check-sample; schema
   * violations and value consistency are judged on the sampled clients.
   */
  constructor(
    private readonly ctx: CheckContext,
    private readonly client: number,
    openedAtMs: number,
    private readonly light = false,
    attemptStartedAtMs = openedAtMs,
    churned?: ChurnCarry,
  ) {
    this.openedAt = openedAtMs;
    this.attemptAt = attemptStartedAtMs;
    this.resumed = churned?.resume === true;
    ctx.recorder.count(light ? 'connections_light' : 'connections_full');
    for (const spec of ctx.profile.channels) {
      const lastTs = churned?.lastTs.get(spec.messageType);
      const carry = churned && lastTs !== undefined ? { lastTs, closedAt: churned.closedAt, resume: churned.resume === true } : undefined;
      this.streams.set(spec.messageType, new ChannelStream(ctx, spec, client, light, carry));
    }
    const byChannel = ctx.profile.channels.map((spec) => this.streams.get(spec.messageType)!);
    [this.c0, this.c1, this.c2, this.c3] = byChannel;
    this.further = byChannel.slice(4);
    // a stream without a welcome starts streaming once the connection is open
    if (ctx.profile.replies.welcome === undefined) {
      this.welcomed = true;
      for (const s of this.streams.values()) if (s.spec.autoStart) s.start(openedAtMs);
    }
  }

  /** The last tick of each channel so far, by message type: what a churn carries to the next connection. */
  lastTimestamps(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [type, s] of this.streams) if (s.lastTimestamp !== undefined) out.set(type, s.lastTimestamp);
    return out;
  }

  get hasWelcome(): boolean {
    return this.welcomed;
  }

  /** The harness asked for a channel (or the welcome started a self-starting one). */
  startChannel(channel: string, wallMs: number): void {
    for (const s of this.streams.values()) if (s.spec.channel === channel) s.start(wallMs);
  }

  /**
   * One message: a WebSocket frame's bytes or an event's text, with the
   * bytes it took on the wire (framing included) and the SSE `event:` field.
   */
  onMessage(data: Buffer | string, isBinary: boolean, wallMs: number, bytes: number, event?: string): Checked | undefined {
    const { recorder, profile } = this.ctx;
    if (wallMs >= this.ctx.steadyStartMs && wallMs < this.ctx.steadyEndMs) this.steadyBytes += bytes;
    const first = this.frames === 0;
    this.frames += 1;

    if (isBinary) {
      recorder.frame(wallMs, 'binary', bytes);
      recorder.sample(wallMs, 'binary_frame', this.client, `${data.length} byte binary frame`);
      return undefined;
    }
    const parsed = typeof data === 'string' ? this.ctx.parser.parseText(data) : this.ctx.parser.parse(data);
    const type = parsed.type;
    recorder.frame(wallMs, type, bytes);
    if (!parsed.json) {
      recorder.sample(wallMs, parsed.utf8 ? 'invalid_json' : 'invalid_utf8', this.client, parsed.excerpt ?? '');
      return undefined;
    }
    if (first && profile.replies.welcome !== undefined && type !== profile.replies.welcome) {
      recorder.sample(wallMs, 'welcome_not_first', this.client, `first message was ${type}`);
    }
    // an SSE `event:` names the message too (the default `message` names none): it must agree with the envelope
    if (event !== undefined && event !== type && event !== 'message') recorder.sample(wallMs, 'event_type_mismatch', this.client, `event: ${event.slice(0, 40)} carried a ${type}`);
    if (parsed.problem !== undefined) {
      if (!this.light) recorder.sample(wallMs, 'schema', this.client, parsed.problem);
      return undefined;
    }
    const checked = parsed as Checked;
    const timestamp = checked.timestamp;
    if (checked.broken !== undefined && !this.light) recorder.sample(wallMs, 'invariant_broken', this.client, checked.broken);

    // Server time in harness terms; far off means seconds, not ms, or a broken clock.
    const sentAt = timestamp - this.ctx.clockOffsetMs;
    if (Math.abs(wallMs - sentAt) > TIMESTAMP_SKEW_LIMIT_MS) {
      recorder.sample(wallMs, 'timestamp_implausible', this.client, `${type} timestamp ${timestamp} is ${Math.round((sentAt - wallMs) / 1000)} s from the client clock`);
    }

    if (type === profile.replies.welcome) {
      if (first && !this.welcomed) {
        this.welcomed = true;
        recorder.count('welcomes');
        recorder.observe('welcome_us', (wallMs - this.openedAt) * 1000);
        recorder.observe('timeline_welcome_us', (wallMs - this.attemptAt) * 1000);
        for (const s of this.streams.values()) if (s.spec.autoStart) s.start(wallMs);
      }
      return checked;
    }

    const stream = this.streamOf(checked.channelIndex);
    if (stream) {
      // a replay of what was sent before this connection opened (a resume) is late by design: not the stream's latency
      if (!this.resumed || sentAt >= this.openedAt) recorder.latency(wallMs, (wallMs - sentAt) * 1000);
      if (!this.firstAutoSeen && stream.spec.autoStart) {
        this.firstAutoSeen = true;
        recorder.observe('timeline_first_us', (wallMs - this.attemptAt) * 1000);
      }
      stream.onMessage(wallMs, checked, data.length);
    }
    return checked;
  }

  /** The stream of the profile's channel `index`; none for -1 (not a channel's message). */
  private streamOf(index: number): ChannelStream | undefined {
    switch (index) {
      case -1:
        return undefined;
      case 0:
        return this.c0;
      case 1:
        return this.c1;
      case 2:
        return this.c2;
      case 3:
        return this.c3;
      default:
        return this.further[index - 4];
    }
  }

  /** Whether every channel would close its books without loss now (see ChannelStream.settled). */
  settled(nowMs: number): boolean {
    for (const s of this.streams.values()) if (!s.settled(nowMs)) return false;
    return true;
  }

  /**
   * Ends the connection's books at `endMs`: channel streams, bandwidth and
   * time streaming over the part of the steady phase this connection was open for.
   */
  finish(endMs: number, resuming = false): { lost: number; received: number } {
    if (this.finished) return { lost: 0, received: 0 };
    this.finished = true;
    const { recorder } = this.ctx;
    let lost = 0;
    let received = 0;
    for (const s of this.streams.values()) {
      if (!s.subscribed) continue;
      s.finish(endMs, resuming);
      lost += s.lost;
      received += s.received;
    }
    const overlap = Math.min(endMs, this.ctx.steadyEndMs) - Math.max(this.openedAt, this.ctx.steadyStartMs);
    if (overlap >= 1000) recorder.observe('bandwidth_Bps', (this.steadyBytes * 1000) / overlap);
    // client-ms open in the steady phase, for uptime
    if (overlap > 0) recorder.count('stream_ms', overlap);
    return { lost, received };
  }
}
