/** Default thresholds of the Phase 3B criteria (`../shared/criteria.md`). */
export interface Thresholds {
  connectShare: number;
  welcomeP99Ms: number;
  latencyP99Ms: number;
  bandwidthBps: number;
  uptimeShare: number;
  fallbackOkShare: number;
  fallbackP99Ms: number;
  serverCpuShare: number;
  memorySlopeMBPerMin: number;
  memoryGrowthShare: number;
  reconnectP99Ms: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  connectShare: 1,
  welcomeP99Ms: 1000,
  latencyP99Ms: 500,
  bandwidthBps: 1024,
  uptimeShare: 1,
  fallbackOkShare: 0.99,
  fallbackP99Ms: 2000,
  serverCpuShare: 0.1,
  memorySlopeMBPerMin: 1,
  memoryGrowthShare: 0.1,
  reconnectP99Ms: 15_000,
};
