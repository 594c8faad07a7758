import { summarizeEncoded, type HistogramSummary } from '../metrics/histogram.js';
import { familyOf, type CounterKey, type HistogramKey, type ViolationKind } from '../metrics/names.js';
import type { MetricsSnapshot } from '../metrics/snapshot.js';
import type { TargetProfile } from '../profile/index.js';
import type { ThreadFigures } from './threads.js';

/**
 * Plain figures drawn from a (possibly merged) snapshot: what the verdict
 * judges and what reports show. Times in ms, rates in B/s.
 */
export interface ChannelSummary {
  channel: string;
  messageType: string;
  intervalMs: number;
  streams: number;
  received: number;
  expected: number;
  lost: number;
  duplicates: number;
  silent: number;
  cadenceOff: number;
  /** Off-cadence gaps read during the harness's own stalls, not judged (checks/cadence.ts stallCouldExplain). */
  stallGaps: number;
  meanGapMs: number;
  gapMs: HistogramSummary;
  firstMessageMs: HistogramSummary;
}

export interface MetricsSummary {
  clients: { planned: number; connectedFirstTry: number; failedFirstTry: number; held: number; peakOpen: number };
  connectMs: HistogramSummary;
  welcomeMs: HistogramSummary;
  welcomes: number;
  connections: number;
  /** Connections checked in full, and with cheap accounting only (--check-sample). */
  checked: { full: number; light: number };
  latencyMs: HistogramSummary;
  frames: number;
  bytes: number;
  messagesByType: Record<string, number>;
  bandwidthBps: HistogramSummary;
  channels: ChannelSummary[];
  /** Ticks the embedded simulator never sent because it was overloaded (0 for a target of one's own). */
  simulatorTicksSkipped: number;
  /** Ticks lost across resumes (SSE Last-Event-ID), a part of the channels' lost. */
  resumeLost: number;
  /** Protocol keepalives (SSE comment lines) the load clients received: the whole run, and the steady phase (against streamMs). */
  heartbeats: { total: number; steady: number };
  /** Closes the harness did not cause, by close code, and socket errors on open connections it did not cause. */
  disconnects: { unintended: number; byCode: Record<string, number>; socketErrors: number };
  connectErrors: Record<string, number>;
  /** The run ended early because every first open failed the same way (engine/first-attempts.ts). */
  stoppedEarly?: true;
  violations: Partial<Record<ViolationKind, number>>;
  /** Violations by finding (`<kind> <message type> <field>`: one root cause within a kind), for the kinds that have them. */
  findings: Record<string, number>;
  streamMs: number;
  /** Returns after target drops (reconnected, openMs, firstMessageMs) and after harness cuts (cut*). */
  reconnect: {
    reconnected: number;
    gaveUp: number;
    openMs: HistogramSummary;
    firstMessageMs: HistogramSummary;
    cutRoundsPlanned: number;
    cuts: number;
    cutsByMode: Record<string, number>;
    cutReopened: number;
    cutBack: number;
    cutReopenMs: HistogramSummary;
    cutFirstMessageMs: HistogramSummary;
    cutAwayMs: number;
    cutMissed: number;
  };
  /**
   * Connections the harness closed and at once reopened (--churn): planned
   * as such, not disconnects. `awayMs` is left out of uptime; `missed` are
   * ticks stamped while no socket was open (checks/cadence.ts, churnGap).
   */
  churn: { planned: number; closes: number; skipped: number; reopened: number; reopenFailed: number; awayMs: number; missed: number; reopenMs: HistogramSummary };
  /** The target's threads (/proc Threads, --server-pid), per connection; absent when not sampled (verdict/threads.ts). */
  threads?: ThreadFigures;
}

export function histogramOf(snapshot: MetricsSnapshot, name: HistogramKey, divisor = 1000): HistogramSummary {
  // remembered by its encoding: the live view judges the run again each second
  return summarizeEncoded(snapshot.histograms[name], divisor);
}

export function summarizeMetrics(snapshot: MetricsSnapshot, profile: TargetProfile, channels: readonly string[]): MetricsSummary {
  const c = snapshot.counters;
  const n = (k: CounterKey) => c[k] ?? 0;
  const judged = new Set(channels);
  for (const ch of profile.channels) if (ch.autoStart) judged.add(ch.channel);
  const channelSummaries: ChannelSummary[] = profile.channels
    .filter((ch) => judged.has(ch.channel))
    .map((ch) => {
      const gaps = n(`gap_count:${ch.channel}`);
      return {
        channel: ch.channel,
        messageType: ch.messageType,
        intervalMs: ch.intervalMs,
        streams: n(`cadence_streams:${ch.channel}`),
        received: n(`received:${ch.channel}`),
        expected: n(`expected:${ch.channel}`),
        lost: n(`lost:${ch.channel}`),
        duplicates: n(`duplicates:${ch.channel}`),
        silent: n(`silent:${ch.channel}`),
        cadenceOff: n(`cadence_off:${ch.channel}`),
        stallGaps: n(`cadence_stall_gaps:${ch.channel}`),
        meanGapMs: gaps > 0 ? n(`gap_sum_ms:${ch.channel}`) / gaps : 0,
        gapMs: histogramOf(snapshot, `gap_us:${ch.channel}`),
        firstMessageMs: histogramOf(snapshot, `first_us:${ch.channel}`),
      };
    });
  const connectMs = histogramOf(snapshot, 'connect_us');
  const cutsByMode = familyOf(c, 'cuts');
  const cuts = Object.values(cutsByMode).reduce((a, b) => a + b, 0);
  return {
    clients: {
      planned: n('clients_planned'),
      connectedFirstTry: n('connect_first_ok'),
      failedFirstTry: n('connect_first_failed'),
      held: n('held'),
      peakOpen: snapshot.series.reduce((m, p) => Math.max(m, p.open), 0),
    },
    connectMs,
    welcomeMs: histogramOf(snapshot, 'welcome_us'),
    welcomes: n('welcomes'),
    connections: connectMs.count,
    checked: { full: n('connections_full'), light: n('connections_light') },
    latencyMs: histogramOf(snapshot, 'latency_us'),
    frames: n('frames'),
    bytes: n('bytes'),
    messagesByType: familyOf(c, 'messages'),
    bandwidthBps: histogramOf(snapshot, 'bandwidth_Bps', 1),
    channels: channelSummaries,
    simulatorTicksSkipped: n('sim_ticks_skipped'),
    resumeLost: n('resume_lost'),
    heartbeats: { total: n('heartbeats'), steady: n('heartbeats_steady') },
    disconnects: { unintended: n('disconnects_unintended'), byCode: familyOf(c, 'disconnect_code'), socketErrors: n('socket_errors') },
    connectErrors: familyOf(c, 'connect_error'),
    ...(n('stopped_early') > 0 ? { stoppedEarly: true } : {}),
    violations: familyOf(c, 'violation'),
    findings: familyOf(c, 'finding'),
    streamMs: n('stream_ms'),
    reconnect: {
      reconnected: n('reconnected'),
      gaveUp: n('reconnect_gave_up'),
      openMs: histogramOf(snapshot, 'reconnect_open_us'),
      firstMessageMs: histogramOf(snapshot, 'reconnect_first_message_us'),
      cutRoundsPlanned: n('cut_rounds_planned'),
      cuts,
      cutsByMode,
      cutReopened: n('cut_reopened'),
      cutBack: n('cut_back'),
      cutReopenMs: histogramOf(snapshot, 'cut_reopen_us'),
      cutFirstMessageMs: histogramOf(snapshot, 'cut_first_message_us'),
      cutAwayMs: n('cut_away_ms'),
      cutMissed: n('cut_missed'),
    },
    churn: {
      planned: n('churn_planned'),
      closes: n('churn_closes'),
      skipped: n('churn_skipped'),
      reopened: n('churn_reopened'),
      reopenFailed: n('churn_reopen_failed'),
      awayMs: n('churn_away_ms'),
      missed: n('churn_missed'),
      reopenMs: histogramOf(snapshot, 'churn_reopen_us'),
    },
  };
}
