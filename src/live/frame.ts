import type { LiveTick } from '../engine/run.js';
import { scaleSummary, summarizeEncoded, type HistogramSummary } from '../metrics/histogram.js';
import type { Counters } from '../metrics/names.js';
import type { ResourceSeries } from '../metrics/resource-series.js';
import type { Sample, SeriesPoint } from '../metrics/snapshot.js';
import type { TargetProfile } from '../profile/index.js';
import type { Advisory } from '../verdict/advisories/index.js';
import type { CriterionId } from '../verdict/criteria.js';
import type { LiveCriterion } from './so-far.js';

/** Latency figures in ms. */
export interface LatencyFigures {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  count: number;
}

/** One complete second, as the exports send it: `t` in epoch seconds. */
export interface LivePoint {
  t: number;
  open: number;
  /** Messages by channel (a message type no channel carries keeps its own name). */
  messages: Record<string, number>;
  bytes: number;
  disconnects: number;
  reconnects: number;
  latencyMs: LatencyFigures;
}

/**
 * What the live view knows at one second: the sinks (dashboard, exports,
 * progress line) all read this, so they agree. `points` are the seconds
 * completed since the last frame; the totals are the run's so far.
 */
export interface LiveFrame {
  type: 'second';
  runId: string;
  /** Epoch ms of the frame. */
  at: number;
  elapsedMs: number;
  totalMs: number;
  phase: string;
  open: number;
  planned: number;
  messagesPerSec: number;
  points: LivePoint[];
  totals: { messages: Record<string, number>; frames: number; bytes: number; violations: number; disconnects: number; reconnects: number };
  latencyRunMs: LatencyFigures;
  /** The target's latest CPU share and resident memory, when sampled. */
  target: { cpuShare: number | null; rssBytes: number | null } | null;
  criteria: Pick<LiveCriterion, 'id' | 'status' | 'observed' | 'threshold'>[];
  failing: CriterionId[];
  advisories: Pick<Advisory, 'id' | 'detail'>[];
}

/** A violation as it happens (ndjson, the dashboard). */
export interface LiveViolation extends Sample {
  type: 'violation';
  runId: string;
}

export function latencyOf(encoded: string | undefined): LatencyFigures {
  if (!encoded) return { p50: 0, p90: 0, p99: 0, max: 0, count: 0 };
  // the judgement summarizes the same encodings: remembered once for both
  return latencyFigures(summarizeEncoded(encoded, 1000));
}

/** The figure of one of LIVE_QUANTILES (1 is the maximum), in seconds: what both exports send. */
export function quantileSeconds(l: LatencyFigures, q: number): number {
  return (q === 1 ? l.max : q === 0.5 ? l.p50 : q === 0.9 ? l.p90 : l.p99) / 1000;
}

/** A summary's latency figures, in its own unit. */
export function latencyFigures(s: HistogramSummary): LatencyFigures {
  return { p50: s.p50, p90: s.p90, p99: s.p99, max: s.max, count: s.count };
}

/** What a frame reads of the run so far: cheap each second (metrics/live-book.ts), no snapshot made. */
export interface FrameFigures {
  counters: Counters;
  /** The whole run's latency, µs. */
  latencyRunUs: HistogramSummary;
  resources?: ResourceSeries[];
}

/** Message type -> channel, from the profile; a type no channel carries stands for itself. */
export function channelNamer(profile: TargetProfile): (type: string) => string {
  const byType = new Map(profile.channels.map((c) => [c.messageType, c.channel]));
  return (type) => byType.get(type) ?? type;
}

export function byChannel(messages: Record<string, number>, name: (type: string) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(messages)) out[name(k)] = (out[name(k)] ?? 0) + v;
  return out;
}

export function livePoint(p: SeriesPoint, name: (type: string) => string): LivePoint {
  return { t: p.t, open: p.open, messages: byChannel(p.messages, name), bytes: p.bytes, disconnects: p.disconnects, reconnects: p.reconnects, latencyMs: latencyOf(p.latency) };
}

interface FrameInput {
  tick: LiveTick;
  figures: FrameFigures;
  runId: string;
  now: number;
  fresh: SeriesPoint[];
  name: (type: string) => string;
  criteria: readonly LiveCriterion[];
  advisories: readonly Advisory[];
}

export function buildFrame({ tick, figures, runId, now, fresh, name, criteria, advisories }: FrameInput): LiveFrame {
  const c = figures.counters;
  const resources = figures.resources?.[0]?.points;
  const last = resources?.[resources.length - 1];
  return {
    type: 'second',
    runId,
    at: now,
    elapsedMs: tick.progress.elapsedMs,
    totalMs: tick.endsAt - tick.startedAt,
    phase: tick.progress.phase,
    open: tick.progress.open,
    planned: tick.progress.planned,
    messagesPerSec: tick.progress.messagesPerSec,
    points: fresh.map((p) => livePoint(p, name)),
    totals: {
      messages: byChannel(tick.book.messagesByType(), name),
      frames: c.frames ?? 0,
      bytes: c.bytes ?? 0,
      violations: c.violations ?? 0,
      disconnects: c.disconnects_unintended ?? 0,
      reconnects: c.reconnected ?? 0,
    },
    latencyRunMs: latencyFigures(scaleSummary(figures.latencyRunUs, 1000)),
    target: last ? { cpuShare: last.cpuShare, rssBytes: last.rssBytes } : null,
    criteria: criteria.map((x) => ({ id: x.id, status: x.status, observed: x.observed, threshold: x.threshold })),
    failing: criteria.filter((x) => x.status === 'fail').map((x) => x.id),
    advisories: advisories.map((a) => ({ id: a.id, detail: a.detail })),
  };
}
