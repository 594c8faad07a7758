import type { ChannelSpec, JsonSchema, TargetProfile } from './types.js';

/**
 * The Aurigraph DLT V11 live stream (`../shared/protocol.md`), the default
 * profile. Schemas say "required and of this type", plus the ranges the
 * protocol fixes (latency 40-60 ms); bands the protocol only describes
 * (TPS around 800k) are left to the simulator.
 */

const int: JsonSchema = { type: 'integer' };
const nonNegInt: JsonSchema = { type: 'integer', minimum: 0 };

function payload(properties: Record<string, JsonSchema>): JsonSchema {
  return {
    type: 'object',
    required: Object.keys(properties),
    properties,
  };
}

const channels: readonly ChannelSpec[] = [
  {
    channel: 'tps_updates',
    messageType: 'tps_update',
    intervalMs: 1000,
    autoStart: true,
    payloadSchema: payload({
      currentTPS: nonNegInt,
      peakTPS: nonNegInt,
      averageTPS: nonNegInt,
      latency: { type: 'integer', minimum: 0 },
    }),
    risingFields: [],
    sharedFields: ['currentTPS', 'peakTPS', 'averageTPS', 'latency'],
    plannedBytes: 300,
  },
  {
    channel: 'block_updates',
    messageType: 'block_update',
    intervalMs: 2000,
    autoStart: false,
    payloadSchema: payload({
      blockHeight: nonNegInt,
      blockTime: nonNegInt,
      transactions: nonNegInt,
      producer: { type: 'string', minLength: 1 },
    }),
    risingFields: ['blockHeight'],
    sharedFields: ['blockHeight', 'blockTime', 'transactions', 'producer'],
    plannedBytes: 200,
  },
  {
    channel: 'network_status',
    messageType: 'network_update',
    intervalMs: 3000,
    autoStart: false,
    payloadSchema: payload({
      activeNodes: nonNegInt,
      totalNodes: nonNegInt,
      networkHealth: { type: 'string', minLength: 1 },
      avgLatency: nonNegInt,
    }),
    risingFields: [],
    sharedFields: ['activeNodes', 'totalNodes', 'networkHealth', 'avgLatency'],
    plannedBytes: 250,
  },
  {
    channel: 'validator_metrics',
    messageType: 'validator_update',
    intervalMs: 5000,
    autoStart: false,
    payloadSchema: payload({
      totalValidators: nonNegInt,
      activeValidators: nonNegInt,
      inactiveValidators: nonNegInt,
      jailedValidators: nonNegInt,
    }),
    risingFields: [],
    sharedFields: ['totalValidators', 'activeValidators', 'inactiveValidators', 'jailedValidators'],
    plannedBytes: 350,
  },
];

export const aurigraphV11: TargetProfile = {
  name: 'aurigraph-v11',
  path: '/api/v11/live/stream',
  defaultPort: 9003,
  fallbackPath: '/api/v11/live/snapshot',
  envelope: { typeField: 'type', payloadField: 'payload', timestampField: 'timestamp' },
  replies: {
    welcome: 'connection_established',
    welcomeIdField: 'connectionId',
    subscribed: 'subscription_confirmed',
    pong: 'pong',
    pongTimestampField: 'timestamp',
    error: 'error',
    errorTextField: 'error',
  },
  control: {
    subscribe: (channel) => ({ type: 'subscribe', channel }),
    unsubscribe: (channel) => ({ type: 'unsubscribe', channel }),
    ping: () => ({ type: 'ping' }),
  },
  channels,
  replySchemas: {
    connection_established: payload({
      connectionId: {
        type: 'string',
        pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
      },
      timestamp: int,
    }),
    subscription_confirmed: payload({
      channel: { type: 'string', minLength: 1 },
      status: { const: 'subscribed' },
    }),
    pong: payload({ timestamp: int }),
    error: payload({ error: { type: 'string', minLength: 1 } }),
  },
};
