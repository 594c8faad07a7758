import { EventEmitter } from 'node:events';
import type { LiveTick, Run, RunResult } from '../engine/run.js';
import { summarizeEncoded } from '../metrics/histogram.js';
import { findProfile } from '../profile/index.js';
import type { Advisory } from '../verdict/advisories/index.js';
import { redactUrl } from '../verdict/redact.js';
import { runId as runIdOf, type ExportStats, type Report } from '../verdict/report.js';
import { buildFrame, channelNamer, livePoint, latencyOf, type FrameFigures, type LiveFrame, type LiveViolation } from './frame.js';
import { judgeSoFar, liveCriteria, type LiveCriterion } from './so-far.js';
import type { LiveLabels } from '../metrics/live-names.js';
import type { ResourceSeries } from '../metrics/resource-series.js';
import type { SeriesPoint } from '../metrics/snapshot.js';

/** The seconds kept so far (the live book): what a sink may read beyond the frame, at its own cost. */
export interface LiveSeconds {
  series(): readonly SeriesPoint[];
  resources?: () => ResourceSeries[] | undefined;
}

/** One place the live view goes: the dashboard, an export. Never throws, never blocks the run. */
export interface LiveSink {
  second(frame: LiveFrame, labels: LiveLabels, seconds?: LiveSeconds): void;
  violation?(v: LiveViolation): void;
  /** A fresh judgement of the run so far (or the final report, `final`). */
  judged?(report: Report, criteria: readonly LiveCriterion[], final: boolean): void;
  /** The last push, from the final report; resolves once sent or given up. */
  finish(frame: LiveFrame, labels: LiveLabels, report: Report): Promise<void>;
  close(): Promise<void>;
  /** What an export pushed and failed to, for the report. */
  stats?(): ExportStats;
}

export interface LiveViewEvents {
  /** Each second's frame, with the engine's progress of the same tick (the progress line reads both). */
  frame: [LiveFrame, LiveTick['progress']];
}

/**
 * The judge may take this share of a core: a judgement of 3 ms comes every
 * 6 s. A judgement (the run so far as a snapshot, the verdict's functions,
 * the dashboard's sections and charts) costs a few ms at 5,000 clients and
 * the harness ~80 ms a second there, so once a second it was most of what
 * watching cost (bench/live-cost.js); the frame each second does not wait
 * for it. At twice this share (1 ms a second) judging was still a fifth of
 * what watching cost there, and the criteria no fresher than the 10 s bound
 * below gives them.
 */
export const JUDGE_SHARE = 0.0005;
/**
 * A criterion's running status is never older than this, however dear its
 * judgement (the first, cold, is 30-80 ms). 10 s, as k6's web dashboard's
 * default period: at 5,000 clients a judgement costs ~10 ms, and every 5 s
 * it was a third of what watching cost (bench/live-cost.js); the frame's
 * figures still come each second.
 */
export const JUDGE_MAX_PERIOD_MS = 10_000;

/**
 * How long after a judgement the next comes: its cost over JUDGE_SHARE,
 * at least `everyMs`, at most JUDGE_MAX_PERIOD_MS (or `everyMs`, when a
 * caller asks for rarer).
 *   1000, 0.4 ms -> 1000; 1000, 3 ms -> 6000; 1000, 60 ms -> 10,000; 20,000, 3 ms -> 20,000
 */
export function judgePeriodMs(everyMs: number, costMs: number): number {
  return Math.max(everyMs, Math.min(costMs / JUDGE_SHARE, JUDGE_MAX_PERIOD_MS));
}

/** What an unwatched second's frame is built from: nothing reads its figures. */
const UNWATCHED: FrameFigures = { counters: {}, latencyRunUs: summarizeEncoded(undefined) };
/** The final pushes wait this long at most: a dead endpoint never holds up the report. */
const FINISH_MS = 3000;

/**
 * The run as it goes, for people and for other systems: once a second it
 * reads the live book (metrics/live-book.ts) into one frame (frame.ts) and
 * hands it to every sink, and it judges the run so far with the verdict's
 * own functions (so-far.ts), as often as that stays cheap. The progress
 * line, the dashboard and the exports all read the same frame.
 */
export class LiveView extends EventEmitter<LiveViewEvents> {
  private readonly sinks: LiveSink[] = [];
  private criteria: LiveCriterion[] = [];
  private advisories: Advisory[] = [];
  private judgedAt = -Infinity;
  /** When the view began to count towards its first judgement. */
  private firstJudgeAt = -Infinity;
  /**
   * The last three judgements' cost (the first, cold, left out): their mean
   * paces the next. Not their least: at 5,000 clients every other judgement
   * merges the whole run's histograms (~14 ms against ~4), and paced by the
   * cheap one judging took 2-3 ms a second, the largest part of watching
   * (bench/live-cost.js); the mean holds it near JUDGE_SHARE.
   */
  private readonly judgeCosts: number[] = [];
  private lastTick?: LiveTick;
  private labelsCache?: LiveLabels;
  /** Message type -> channel, of the run's profile: made once, read each second. */
  private namer?: (type: string) => string;
  latest?: LiveFrame;
  /** Where a sink's own fault is said, once per sink (the CLI: stderr); the run goes on either way. */
  problem?: (line: string) => void;
  private readonly faulted = new Set<LiveSink>();
  /** Every second before this one went out in a frame; the final frame carries the rest, from the report. */
  private sentUntil = -Infinity;

  constructor(
    private readonly settings: RunResult['settings'],
    /** What the `scenario` label says: the scenario file's name, or `flags`. */
    private readonly scenario = 'flags',
    /**
     * Judge no more often than this. A run of one process judges on its
     * clients' event loop: with nobody watching but CI's line every 10 s,
     * once in 10 s is enough and costs the measurement nothing.
     */
    private readonly judgeEveryMs = 1000,
  ) {
    super();
  }

  private get channelName(): (type: string) => string {
    this.namer ??= channelNamer(findProfile(this.settings.profile)!);
    return this.namer;
  }

  add(sink: LiveSink): this {
    this.sinks.push(sink);
    return this;
  }

  attach(run: Run): this {
    run.on('live', (tick) => this.onTick(tick));
    return this;
  }

  get labels(): LiveLabels | undefined {
    return this.labelsCache;
  }

  /** The criteria failing so far, in criteria.md order. */
  failing(): string[] {
    return this.criteria.filter((c) => c.status === 'fail').map((c) => c.id);
  }

  private labelsOf(tick: LiveTick): LiveLabels {
    this.labelsCache ??= {
      run_id: runIdOf(tick.startedAt),
      scenario: this.scenario,
      shard: `${tick.shard.index + 1}/${tick.shard.count}`,
      target: redactUrl(tick.target.url),
    };
    return this.labelsCache;
  }

  private onTick(tick: LiveTick): void {
    this.lastTick = tick;
    const now = Date.now();
    const labels = this.labelsOf(tick);
    const fresh = tick.book.takeFresh();
    const cost = this.judgeCosts.length ? this.judgeCosts.reduce((a, b) => a + b, 0) / this.judgeCosts.length : 0;
    // the first judgement comes one period after the first second, not with it: in CI (a line each
    // 10 s) a short run is never judged on its clients' loop, and the verdict's first, cold judgement
    // (30-80 ms at once) does not land as the steady phase starts
    if (this.judgedAt === -Infinity) this.judgedAt = this.firstJudgeAt = now;
    const judging = now - this.judgedAt >= judgePeriodMs(this.judgeEveryMs, cost) - 50;
    if (judging) this.judge(tick, now);
    // Without a sink nobody reads a frame's figures (the progress line takes its elapsed time and the
    // criteria failing so far): the seconds' latency is left alone but to judge, so a run nobody
    // watches decodes nothing each second on its clients' loop.
    const watched = this.sinks.length > 0;
    const figures = watched ? { counters: tick.book.counters(), latencyRunUs: tick.book.latencySummary(), resources: tick.book.resources?.() } : UNWATCHED;
    const frame = buildFrame({ tick, figures, runId: labels.run_id, now, fresh: watched ? fresh.points : [], name: this.channelName, criteria: this.criteria, advisories: this.advisories });
    this.latest = frame;
    for (const p of frame.points) this.sentUntil = Math.max(this.sentUntil, p.t + 1);
    for (const sink of this.sinks) this.guard(sink, () => sink.second(frame, labels, tick.book));
    for (const s of fresh.samples) {
      const v: LiveViolation = { type: 'violation', runId: labels.run_id, ...s };
      for (const sink of this.sinks) this.guard(sink, () => sink.violation?.(v));
    }
    this.emit('frame', frame, tick.progress);
  }

  private judge(tick: LiveTick, now: number): void {
    const began = performance.now();
    const { report, criteria } = judgeSoFar(tick, this.settings, now, tick.book.snapshot());
    this.criteria = criteria;
    this.advisories = report.advisories;
    for (const sink of this.sinks) this.guard(sink, () => sink.judged?.(report, criteria, false));
    // the first, cold judgement (the verdict's code compiled, schemas built: 30-80 ms) says nothing of the next
    if (this.judgedAt !== this.firstJudgeAt) this.judgeCosts.push(performance.now() - began);
    if (this.judgeCosts.length > 3) this.judgeCosts.shift();
    this.judgedAt = now;
  }

  /**
   * The run is over and judged: every sink gets the final figures (the
   * report's own, so a backend ends on the report's numbers), at most
   * FINISH_MS, and is closed. Returns each export's stats for the report.
   */
  async finish(report: Report): Promise<ExportStats[]> {
    const final = liveCriteria(report.criteria, true);
    this.criteria = final;
    const name = this.channelName;
    const tick = this.lastTick;
    const labels: LiveLabels = this.labelsCache ?? { run_id: report.runId, scenario: this.scenario, shard: `${report.settings.shard.index + 1}/${report.settings.shard.count}`, target: report.target.url };
    const snap = report.snapshot;
    const frame: LiveFrame = {
      type: 'second',
      runId: labels.run_id,
      at: Date.parse(report.endedAt),
      elapsedMs: Date.parse(report.endedAt) - Date.parse(report.startedAt),
      totalMs: tick ? tick.endsAt - tick.startedAt : Date.parse(report.endedAt) - Date.parse(report.startedAt),
      phase: 'done',
      open: 0,
      planned: report.metrics.clients.planned,
      messagesPerSec: 0,
      points: snap.series.filter((p) => p.t >= this.sentUntil).map((p) => livePoint(p, name)),
      totals: {
        messages: Object.fromEntries(Object.entries(report.metrics.messagesByType).reduce((m, [k, v]) => m.set(name(k), (m.get(name(k)) ?? 0) + v), new Map<string, number>())),
        frames: report.metrics.frames,
        bytes: report.metrics.bytes,
        violations: snap.counters.violations ?? 0,
        disconnects: report.metrics.disconnects.unintended,
        reconnects: snap.counters.reconnected ?? 0,
      },
      latencyRunMs: latencyOf(snap.histograms.latency_us),
      target: this.latest?.target ?? null,
      criteria: final.map((x) => ({ id: x.id, status: x.status, observed: x.observed, threshold: x.threshold })),
      failing: final.filter((x) => x.status === 'fail').map((x) => x.id),
      advisories: report.advisories.map((a) => ({ id: a.id, detail: a.detail })),
    };
    this.latest = frame;
    for (const sink of this.sinks) this.guard(sink, () => sink.judged?.(report, final, true));
    await Promise.all(this.sinks.map((s) => withTimeout(s.finish(frame, labels, report).catch(() => undefined), FINISH_MS)));
    return this.sinks.map((s) => s.stats?.()).filter((s): s is ExportStats => s !== undefined);
  }

  async close(): Promise<void> {
    await Promise.all(this.sinks.map((s) => withTimeout(s.close().catch(() => undefined), FINISH_MS)));
  }

  /** A sink's fault is its own: said once, and the run and the other sinks go on. */
  private guard(sink: LiveSink, f: () => void): void {
    try {
      f();
    } catch (err) {
      if (this.faulted.has(sink)) return;
      this.faulted.add(sink);
      this.problem?.(`live view: ${sink.constructor.name}: ${(err as Error).message}; the run goes on`);
    }
  }
}


function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    void p.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
