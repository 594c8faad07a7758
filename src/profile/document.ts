import type { JsonSchema } from './types.js';

/**
 * A profile as its author writes it (`docs/profile.md`): plain data, YAML or
 * JSON. This, not the built TargetProfile (which holds compiled
 * invariants and message builders), is what crosses a process or machine
 * boundary. Keys are the outside contract: add, never change a meaning.
 */
export interface ProfileDocument {
  name: string;
  transport?: 'websocket' | 'sse';
  path: string;
  defaultPort?: number;
  fallback?: string;
  envelope: { type: string; payload: string; timestamp: string; timestampUnit?: 'ms' | 's' | 'us' };
  /** Each of these may be left out: the criteria and probes that need one are skipped with the reason. */
  welcome?: { type: string; idField: string };
  replies?: {
    subscribed?: { type: string; channelField?: string };
    pong?: { type: string; timestampField?: string };
    error?: { type: string; textField?: string };
  };
  control?: { subscribe?: Record<string, unknown>; unsubscribe?: Record<string, unknown>; ping?: Record<string, unknown> };
  channels: ChannelDocument[];
  messages?: Record<string, JsonSchema>;
  sse?: { channelsParam?: string; heartbeat?: string; retry?: string };
  /** The planned connection timeline, each from the start of the connect (advisories only). */
  timeline?: { upgrade?: string; welcome?: string; firstMessage?: string };
}

export interface ChannelDocument {
  name: string;
  type: string;
  interval: string | number;
  autoStart?: boolean;
  snapshotOnSubscribe?: boolean;
  rising?: string[];
  shared?: string[];
  invariants?: string[];
  plannedBytes?: number;
  payload: JsonSchema;
}

const name = { type: 'string', minLength: 1, pattern: '^\\S+$', description: 'a name without spaces' };
const text = { type: 'string', minLength: 1 };
const fieldList = { type: 'array', items: text, uniqueItems: true };
const template = { type: 'object', description: 'a message (a mapping); "{channel}" in a value is replaced' };
const typed = (extra: Record<string, unknown> = {}, required: string[] = []) => ({
  type: 'object',
  additionalProperties: false,
  required: ['type', ...required],
  properties: { type: text, ...extra },
});

/**
 * The JSON Schema of a profile document (Ajv), for the checks a schema can
 * say; `load.ts` adds the ones it cannot (durations, invariants that parse,
 * payload schemas that compile, rising and shared fields that exist).
 */
export const PROFILE_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'path', 'envelope', 'channels'],
  properties: {
    name,
    transport: { enum: ['websocket', 'sse'] },
    path: { type: 'string', pattern: '^/', description: 'a path starting with /' },
    defaultPort: { type: 'integer', minimum: 0, maximum: 65535 },
    fallback: { type: 'string', pattern: '^/', description: 'a path starting with /' },
    envelope: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'payload', 'timestamp'],
      properties: { type: text, payload: text, timestamp: text, timestampUnit: { enum: ['ms', 's', 'us'] } },
    },
    welcome: typed({ idField: text }, ['idField']),
    replies: {
      type: 'object',
      additionalProperties: false,
      properties: {
        subscribed: typed({ channelField: text }),
        pong: typed({ timestampField: text }),
        error: typed({ textField: text }),
      },
    },
    control: {
      type: 'object',
      additionalProperties: false,
      properties: { subscribe: template, unsubscribe: template, ping: template },
    },
    channels: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'type', 'interval', 'payload'],
        properties: {
          name,
          type: text,
          interval: { type: ['string', 'number'], description: 'a duration such as 500ms or 2s' },
          autoStart: { type: 'boolean' },
          snapshotOnSubscribe: { type: 'boolean' },
          rising: fieldList,
          shared: fieldList,
          invariants: fieldList,
          plannedBytes: { type: 'integer', minimum: 1 },
          payload: { type: 'object', description: 'a JSON Schema (a mapping)' },
        },
      },
    },
    messages: { type: 'object', additionalProperties: { type: 'object', description: 'a JSON Schema (a mapping)' } },
    sse: {
      type: 'object',
      additionalProperties: false,
      properties: { channelsParam: text, heartbeat: { type: ['string', 'number'] }, retry: { type: ['string', 'number'], description: 'the reconnect delay the server sends (retry:), e.g. 1s' } },
    },
    timeline: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(['upgrade', 'welcome', 'firstMessage'].map((k) => [k, { type: ['string', 'number'], description: 'a duration such as 600ms' }])),
    },
  },
};
