/**
 * The names of the metrics a run exports while it goes (`--export`), once:
 * Prometheus remote write, OTLP and the Grafana dashboard
 * (deploy/grafana/livestream-bench.json) all use these. Like the snapshot's
 * names (names.ts), they are API: add, never rename.
 *
 * Every series carries the labels of LIVE_LABELS; the per-channel ones add
 * `channel`. Times are seconds, as Prometheus names them.
 */
export const LIVE_METRICS = {
  livestream_clients_open: { kind: 'gauge', help: 'clients open' },
  livestream_clients_planned: { kind: 'gauge', help: 'clients the run (or shard) plans at its peak' },
  livestream_messages_total: { kind: 'counter', help: 'messages received, by channel (or message type when no channel carries it)' },
  livestream_messages_per_second: { kind: 'gauge', help: 'messages received in the last complete second, by channel' },
  livestream_bytes_total: { kind: 'counter', help: 'wire bytes received' },
  livestream_violations_total: { kind: 'counter', help: 'violations of every kind' },
  livestream_disconnects_total: { kind: 'counter', help: 'closes the harness did not cause' },
  livestream_reconnects_total: { kind: 'counter', help: 'connections that came back after a loss or a cut' },
  livestream_latency_seconds: { kind: 'gauge', help: 'one-way latency of the last complete second, by quantile (0.5, 0.9, 0.99, 1 = max)' },
  livestream_latency_run_seconds: { kind: 'gauge', help: 'one-way latency of the run so far, by quantile (the report figure at the end)' },
  livestream_latency_count: { kind: 'counter', help: 'messages whose latency was measured, the run so far' },
  livestream_target_cpu_share: { kind: 'gauge', help: "the target's CPU, 1 = one core busy" },
  livestream_target_rss_bytes: { kind: 'gauge', help: "the target's resident memory" },
  livestream_criterion_failing: { kind: 'gauge', help: 'a criterion failing so far (1) or not (0), by criterion' },
} as const;

export type LiveMetricName = keyof typeof LIVE_METRICS;

/** Labels on every exported series: never a token, a header or a URL's credentials. */
export const LIVE_LABELS = ['run_id', 'scenario', 'shard', 'target'] as const;
export type LiveLabels = Record<(typeof LIVE_LABELS)[number], string>;

/** The quantiles of livestream_latency_seconds and livestream_latency_run_seconds. */
export const LIVE_QUANTILES = [0.5, 0.9, 0.99, 1] as const;
