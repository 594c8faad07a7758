import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * What the simulator counts. Plain tallies are the source of truth for
 * `stats()` (synchronous, cheap); the same events feed a per-simulator
 * prom-client Registry for `GET /metrics`, so tests can run many simulators in
 * one process without their series colliding. Everything is counted per tick
 * or per event, never per client inside the write loop.
 */

const LAG_RING = 10_000; // ~40 min of ticks at the default cadences

export interface LagSummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface SimulatorStats {
  readonly connections: number;
  readonly connectionsTotal: number;
  readonly messagesSent: Readonly<Record<string, number>>;
  readonly bytesSent: Readonly<Record<string, number>>;
  readonly slowConsumersDropped: number;
  /** Server-initiated closes by reason (slow-consumer, fault, socket-down, flood). */
  readonly disconnects: Readonly<Record<string, number>>;
  /** Upgrades answered with an HTTP error, by reason. */
  readonly refusedUpgrades: Readonly<Record<string, number>>;
  readonly ticks: number;
  /** Ticks broadcast, by message type (stalled ticks are not broadcast). */
  readonly ticksByType: Readonly<Record<string, number>>;
  /** Ticks never sent because the event loop was blocked past them, by message type (a cluster sums its processes). */
  readonly ticksSkipped: Readonly<Record<string, number>>;
  /** Write-loop end minus scheduled tick time, ms, over the last ticks. */
  readonly sendLagMs: LagSummary;
  readonly faults: readonly string[];
}

// Process metrics are process-wide: one collector per process, shared by every
// simulator in it (each collectDefaultMetrics call would add observers).
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** This process's own metrics (CPU, RSS, heap, ...) as prom-client JSON. */
export function processMetricsJson(): Promise<unknown[]> {
  return processMetrics().getMetricsAsJSON();
}

function bump(map: Record<string, number>, key: string, by: number): void {
  map[key] = (map[key] ?? 0) + by;
}

/** p50, p99 and max of send lags already sorted ascending. */
export function lagSummary(sorted: readonly number[]): LagSummary {
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : 0,
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export class SimulatorMetrics {
  private readonly registry = new Registry();
  private readonly gConnections: Gauge;
  private readonly cConnections: Counter;
  private readonly cMessages: Counter<'type'>;
  private readonly cBytes: Counter<'type'>;
  private readonly cSlow: Counter;
  private readonly cDisconnects: Counter<'reason'>;
  private readonly cRefused: Counter<'reason'>;
  private readonly hLag: Histogram;
  private readonly cSkipped: Counter<'type'>;
  private readonly skippedByType: Record<string, number> = {};

  private connections = 0;
  private connectionsTotal = 0;
  private readonly messages: Record<string, number> = {};
  private readonly bytes: Record<string, number> = {};
  private slow = 0;
  private readonly disconnects: Record<string, number> = {};
  private readonly refused: Record<string, number> = {};
  private ticks = 0;
  private readonly ticksByType: Record<string, number> = {};
  private readonly lags: number[] = [];
  private lagNext = 0;

  constructor() {
    const registers = [this.registry];
    this.gConnections = new Gauge({ name: 'livestream_sim_connections', help: 'Open WebSocket connections', registers });
    this.cConnections = new Counter({ name: 'livestream_sim_connections_total', help: 'WebSocket connections accepted', registers });
    this.cMessages = new Counter({ name: 'livestream_sim_messages_sent_total', help: 'Messages written, by type', labelNames: ['type'], registers });
    this.cBytes = new Counter({ name: 'livestream_sim_bytes_sent_total', help: 'Frame bytes written, by message type', labelNames: ['type'], registers });
    this.cSlow = new Counter({ name: 'livestream_sim_slow_consumers_dropped_total', help: 'Connections closed because their send buffer passed the bound', registers });
    this.cDisconnects = new Counter({ name: 'livestream_sim_server_disconnects_total', help: 'Server-initiated closes, by reason', labelNames: ['reason'], registers });
    this.cRefused = new Counter({ name: 'livestream_sim_upgrades_refused_total', help: 'Upgrades answered with an HTTP error, by reason', labelNames: ['reason'], registers });
    this.cSkipped = new Counter({ name: 'livestream_sim_ticks_skipped_total', help: 'Ticks never sent because the event loop was blocked past them (overload), by type', labelNames: ['type'], registers });
    this.hLag = new Histogram({
      name: 'livestream_sim_tick_send_lag_seconds',
      help: 'Time from a tick\'s scheduled instant to the end of its write loop',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
  }

  opened(): void {
    this.connections++;
    this.connectionsTotal++;
    this.gConnections.set(this.connections);
    this.cConnections.inc();
  }

  closed(): void {
    this.connections--;
    this.gConnections.set(this.connections);
  }

  /** `count` messages of `type`, `frameBytes` each. */
  sent(type: string, count: number, frameBytes: number): void {
    if (count === 0) return;
    bump(this.messages, type, count);
    bump(this.bytes, type, count * frameBytes);
    this.cMessages.inc({ type }, count);
    this.cBytes.inc({ type }, count * frameBytes);
  }

  slowConsumer(): void {
    this.slow++;
    this.cSlow.inc();
  }

  disconnect(reason: string): void {
    bump(this.disconnects, reason, 1);
    this.cDisconnects.inc({ reason });
  }

  refusedUpgrade(reason: string): void {
    bump(this.refused, reason, 1);
    this.cRefused.inc({ reason });
  }

  skipped(type: string, count: number): void {
    bump(this.skippedByType, type, count);
    this.cSkipped.inc({ type }, count);
  }

  tick(type: string, lagMs: number): void {
    this.ticks++;
    bump(this.ticksByType, type, 1);
    this.hLag.observe(lagMs / 1000);
    if (this.lags.length < LAG_RING) this.lags.push(lagMs);
    else this.lags[this.lagNext] = lagMs;
    this.lagNext = (this.lagNext + 1) % LAG_RING;
  }

  /** Recent send lags in ms, oldest first. */
  recentLags(): number[] {
    if (this.lags.length < LAG_RING) return [...this.lags];
    return [...this.lags.slice(this.lagNext), ...this.lags.slice(0, this.lagNext)];
  }

  stats(faults: readonly string[]): SimulatorStats {
    const sorted = [...this.lags].sort((a, b) => a - b);
    return {
      connections: this.connections,
      connectionsTotal: this.connectionsTotal,
      messagesSent: { ...this.messages },
      bytesSent: { ...this.bytes },
      slowConsumersDropped: this.slow,
      disconnects: { ...this.disconnects },
      refusedUpgrades: { ...this.refused },
      ticks: this.ticks,
      ticksByType: { ...this.ticksByType },
      ticksSkipped: { ...this.skippedByType },
      sendLagMs: lagSummary(sorted),
      faults,
    };
  }

  /** Prometheus text: this simulator's series, then the process's. */
  async text(): Promise<string> {
    const [own, proc] = await Promise.all([this.registry.metrics(), processMetrics().metrics()]);
    return `${own}\n${proc}`;
  }

  /** Both registries as prom-client JSON: what a cluster's primary aggregates. */
  async json(): Promise<unknown[]> {
    const [own, proc] = await Promise.all([this.registry.getMetricsAsJSON(), processMetrics().getMetricsAsJSON()]);
    return [...own, ...proc];
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
