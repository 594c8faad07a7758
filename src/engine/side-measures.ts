import type { ConnectOptions } from '../transport/index.js';
import type { SideMeasures } from '../metrics/snapshot.js';
import { timestampMs, type TargetProfile } from '../profile/index.js';
import type { RunSettings } from '../scenario/settings.js';
import { FallbackPoller } from './fallback-poller.js';
import { pidSource } from './pid-source.js';
import { runProbes } from './probe-client.js';
import { prometheusSource } from './prometheus-source.js';
import { ResourceSampler } from './resource-sampler.js';

/** What the run measures beside its clients, as its snapshot carries it; each absent when its source is. */
export type SideResults = Pick<SideMeasures, 'probes' | 'resources' | 'fallback'>;

export interface SideTarget {
  url: string;
  /** Local process of the target (embedded simulator). */
  pid?: number;
  /** http:// origin of the embedded simulator. */
  httpUrl?: string;
}

/**
 * Starts the measurements that run beside the load for its whole length:
 * the protocol probe client, the target's CPU and memory, and the REST
 * fallback poller. Sources, in order: `--server-pid`, `--metrics-url`, the
 * embedded simulator's process; `--fallback-url`, the embedded simulator's
 * snapshot URL (a remote target's fallback is not guessed).
 */
export function startSideMeasures(s: RunSettings, profile: TargetProfile, target: SideTarget, connect: ConnectOptions, clockOffsetMs: number) {
  const abort = new AbortController();
  const probes = s.probes === false ? undefined : runProbes(target.url, connect, profile, { signal: abort.signal });

  const pid = s.serverPid ?? (s.metricsUrl ? undefined : target.pid);
  const source = pid !== undefined ? pidSource(pid) : s.metricsUrl ? prometheusSource(s.metricsUrl) : undefined;
  const sampler = source ? new ResourceSampler(source) : undefined;
  sampler?.start();

  const fallbackUrl = s.fallbackUrl ?? (target.httpUrl && profile.fallbackPath ? `${target.httpUrl}${profile.fallbackPath}` : undefined);
  const poller = fallbackUrl ? new FallbackPoller(fallbackUrl, 1000, {
        clockOffsetMs,
        headers: s.headers,
        // the snapshot stamps its data like the stream's envelope
        timestampField: profile.envelope.timestampField,
        toMs: (v) => timestampMs(profile, v),
      }) : undefined;
  poller?.start();

  let sampled: Pick<SideResults, 'resources' | 'fallback'> | undefined;
  return {
    /** The target's resources sampled so far (the live view), when a source is sampled. */
    resourcesSoFar(): SideResults['resources'] {
      return sampler ? [sampler.current()] : undefined;
    },
    /** Ends sampling and polling (the end of the load); probes still finish. */
    stopSampling(): void {
      if (sampled) return;
      const resources = sampler?.stop();
      sampled = { resources: resources ? [resources] : undefined, fallback: poller?.stop() };
    },
    /** Skips the probes not yet run. */
    interrupt(): void {
      abort.abort();
    },
    async finish(): Promise<SideResults> {
      this.stopSampling();
      return { ...sampled, probes: probes ? await probes : undefined };
    },
  };
}
