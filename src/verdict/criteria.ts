/**
 * Criterion ids are API (`../shared/criteria.md`): reports, JUnit test names
 * and scenario thresholds key on them. Never rename one; add beside them.
 * The order here is the order of every report.
 */
export const CRITERION_IDS = [
  'connect',
  'handshake',
  'message_types',
  'cadence',
  'data_consistency',
  'subscriptions',
  'error_handling',
  'keepalive',
  'fallback',
  'latency',
  'bandwidth',
  'server_cpu',
  'server_memory',
  'concurrency',
  'unintended_disconnects',
  'reconnect',
  'data_loss',
  'uptime',
] as const;

export type CriterionId = (typeof CRITERION_IDS)[number];

/** The Phase 3B line each criterion stands for, for people and JUnit. */
export const CRITERION_TITLES: Record<CriterionId, string> = {
  connect: 'WebSocket connection establishes',
  handshake: 'Welcome message first, in time',
  message_types: 'All message types received correctly',
  cadence: 'Continuous data flow every 1/2/3/5 s',
  data_consistency: 'Data consistency',
  subscriptions: 'Data flows to the components that asked for it',
  error_handling: 'Error states handled',
  keepalive: 'Connection health (ping/pong)',
  fallback: 'Fallback to polling works',
  latency: 'Message latency < 500 ms',
  bandwidth: 'Bandwidth < 1 KB/s per connection',
  server_cpu: 'CPU < 10 % during updates',
  server_memory: 'Memory stable (no growth)',
  concurrency: 'Supports 10+ concurrent connections',
  unintended_disconnects: 'Zero unintended disconnections',
  reconnect: 'Automatic reconnection working',
  data_loss: 'No data loss',
  uptime: '100 % uptime during test',
};

export type CriterionStatus = 'pass' | 'fail' | 'skipped';

export interface CriterionResult {
  id: CriterionId;
  status: CriterionStatus;
  observed: string;
  threshold: string;
  detail: string;
}

export type Verdict = 'pass' | 'fail' | 'inconclusive';
