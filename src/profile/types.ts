/**
 * A target profile is the one description of a push-stream protocol that both
 * the harness and the simulator read. Nothing outside `src/profile/` may
 * hard-wire a message type, a channel name or a cadence.
 */

import type { Invariant } from './invariant.js';
import type { ProfileDocument } from './document.js';

/** A JSON Schema object (draft 2020-12 subset that Ajv compiles). */
export type JsonSchema = Record<string, unknown>;

export interface ChannelSpec {
  /** Name a client subscribes with, e.g. `orders` (the profile's `name`). */
  readonly channel: string;
  /** `type` of the messages the channel carries, e.g. `order` (the profile's `type`). */
  readonly messageType: string;
  /** Nominal gap between two messages of the channel, in ms. */
  readonly intervalMs: number;
  /** Streams right after the welcome without any subscribe. */
  readonly autoStart: boolean;
  /** Schema of the `payload` object. */
  readonly payloadSchema: JsonSchema;
  /**
   * Payload fields that must rise over `risingWindow` consecutive messages
   * (a block height that never moves is the legacy server's tell).
   */
  readonly risingFields: readonly string[];
  /**
   * Payload fields that every client must see equal for the same tick.
   * Used to catch values drawn per client.
   */
  readonly sharedFields: readonly string[];
  /** Planned wire size of one message (Phase 3 design), for reports. */
  readonly plannedBytes: number;
  /**
   * The server may send the channel's latest message at once on subscribe
   * (a snapshot), before the first broadcast tick.
   */
  readonly snapshotOnSubscribe: boolean;
  /** Expressions over payload fields that every message must satisfy. */
  readonly invariants: readonly Invariant[];
}

export interface EnvelopeSpec {
  readonly typeField: string;
  readonly payloadField: string;
  /** Server wall clock since the epoch, taken when the message is built. */
  readonly timestampField: string;
  /** Unit of the timestamp field; every reader converts to ms through `toMs`. */
  readonly timestampUnit: TimestampUnit;
}

export type TimestampUnit = 'ms' | 's' | 'us';

/**
 * What a client can send. A profile may leave any of them out: without
 * `subscribe` every channel streams by itself; the probes that need one are
 * skipped with the reason, never failed.
 */
export interface ControlMessages {
  readonly subscribe?: (channel: string) => unknown;
  readonly unsubscribe?: (channel: string) => unknown;
  readonly ping?: () => unknown;
}

/** The server's replies; each may be absent from a profile (see ControlMessages). */
export interface ReplyTypes {
  /** The first message of every connection, when the stream has one. */
  readonly welcome?: string;
  /** Payload field of the welcome that names the connection. */
  readonly welcomeIdField?: string;
  readonly subscribed?: string;
  /** Payload field of the confirmation that echoes the channel, when it has one. */
  readonly subscribedChannelField?: string;
  readonly pong?: string;
  /** Payload field of the pong that holds the server clock (ms). */
  readonly pongTimestampField: string;
  readonly error?: string;
  /** Payload field of an error reply holding its text. */
  readonly errorTextField?: string;
}

export interface TargetProfile {
  readonly name: string;
  readonly transport: 'websocket' | 'sse';
  /**
   * The data the profile was built from. It is what crosses a process or
   * machine boundary (workers, shards, the embedded simulator): each side
   * builds its own TargetProfile from it with `profileFromDocument`.
   */
  readonly document: ProfileDocument;
  /** WebSocket path on the target, e.g. `/events/live`. */
  readonly path: string;
  /** Port a local development server of this kind listens on. */
  readonly defaultPort: number;
  /** REST path polled as the socket's fallback, if the target has one. */
  readonly fallbackPath?: string;
  readonly envelope: EnvelopeSpec;
  readonly replies: ReplyTypes;
  readonly control: ControlMessages;
  readonly channels: readonly ChannelSpec[];
  /** Payload schemas of the non-channel messages, keyed by message type. */
  readonly replySchemas: Readonly<Record<string, JsonSchema>>;
  /** The planned connection timeline (ms from the start of the connect); what is absent is not judged. */
  readonly timeline: Timeline;
  /** Server-Sent Events only (`transport: sse`): its own keys. */
  readonly sse?: SseSpec;
}

/** What an SSE profile says beside the common keys (`sse:`). */
export interface SseSpec {
  /** Query parameter that picks the channels (`?topics=a,b`); absent: every channel streams. */
  readonly channelsParam?: string;
  /** Comment lines come at least this often (ms); absent: the stream declares no heartbeat. */
  readonly heartbeatMs?: number;
  /** The reconnect delay the server sends (`retry:`, ms), for the simulator to send and the chaos plan to wait for. */
  readonly retryMs?: number;
}

/** When a connection should be ready, as planned (`timeline:`): read by advisories only. */
export interface Timeline {
  /** TCP + upgrade done. */
  readonly upgradeMs?: number;
  /** The welcome received. */
  readonly welcomeMs?: number;
  /** The first message of a self-starting channel received. */
  readonly firstMessageMs?: number;
}
