import type { SimulatorStats } from './metrics.js';

/** What one process reports: the counts, and what it keeps on purpose. */
export interface ProcessStats extends SimulatorStats {
  /** Connections in the legacy registry (every legacy connection ever made). */
  readonly legacyRetained: number;
  /** Bytes kept on purpose: the legacy registry plus the `leak` fault. */
  readonly retainedBytes: number;
}

/** How a worker process reaches the rest of its cluster (cluster.ts). */
export interface ClusterLink {
  readonly workerIndex: number;
  readonly workers: number;
  /** Validated and applied in every process; rejects with LSB_USAGE on a bad spec. */
  setFaults(specs: readonly string[]): Promise<void>;
  stats(): Promise<unknown>;
  metricsText(): Promise<string>;
}
