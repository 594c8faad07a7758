import { EventEmitter } from 'node:events';
import { createCheckContext } from '../checks/context.js';
import { harnessError } from '../errors.js';
import type { IntervalSnapshot } from '../metrics/interval.js';
import { LiveBook } from '../metrics/live-book.js';
import { Recorder } from '../metrics/recorder.js';
import { mergeAll, sideSnapshot, type MetricsSnapshot } from '../metrics/snapshot.js';
import { findProfile } from '../profile/index.js';
import { loadPlan } from '../scenario/plan.js';
import { sliceCount, WHOLE, type Slice } from '../scenario/slice.js';
import { SliceRunner, connectOptionsFor, type SliceJob } from './slice-runner.js';
import { CLIENTS_PER_PROCESS, defaultWorkers, WorkerPool } from './worker-pool.js';
import { startSideMeasures } from './side-measures.js';
import { defaultSpread, loopbackHosts, spreadUrls } from './spread.js';
import { assertValid, type RunSettings } from '../scenario/settings.js';
import type { RunProgress } from './load-driver.js';
import { probeClock } from './clock-probe.js';
import { isPermanent, type ConnectFailure } from './connect-errors.js';
import { simulatorYields, startEmbeddedTarget, type EmbeddedTarget } from './embedded-target.js';
import { judgeHealth } from './health.js';
import { wallNow } from './time.js';
import { pageBrowsers, startPageMeasure, type PageBrowser } from './page-measure.js';

export type { Phase, RunProgress } from './load-driver.js';

/** From the workers all booted to the plan's time 0: the start message (the job, the profile) reaching each over IPC. */
const WORKER_START_MS = 200;

export interface TargetInfo {
  url: string;
  /** Every address the clients connect to, round-robin (the first is `url`). */
  urls?: string[];
  embedded: boolean;
  /** Nice steps the embedded simulator ran below the harness (0: equal priority). */
  nice?: number;
  /** Local process of the target when known (embedded simulator, --server-pid). */
  pid?: number;
  httpUrl?: string;
}

export interface RunResult {
  settings: RunSettings;
  target: TargetInfo;
  startedAt: number;
  endedAt: number;
  steadyStartMs: number;
  steadyEndMs: number;
  /**
   * Everything measured: the clients' metrics, and beside them the clock
   * offset, the harness's health, the protocol probes, the target's
   * resources and the REST fallback (each absent when not measured).
   */
  snapshot: MetricsSnapshot;
  interrupted: boolean;
  /** Why the run stopped before opening its clients, when it did. */
  abandoned?: string;
  /** Why the run ended before its plan: every client's first open failed this way (first-attempts.ts). */
  stoppedEarly?: string;
  /** Processes the clients ran in on this machine. */
  workers?: number;
  /** The slice of the whole run this machine ran. */
  shard?: Slice;
}

/**
 * The run as it goes, once a second beside `tick`: the book of every
 * client process's intervals merged (metrics/live-book.ts), and the plan's
 * times (epoch ms) to judge it against. The live view reads it.
 */
export interface LiveTick {
  progress: RunProgress;
  book: LiveBook;
  target: TargetInfo;
  startedAt: number;
  steadyStartMs: number;
  steadyEndMs: number;
  endsAt: number;
  workers: number;
  shard: Slice;
}

export interface RunEvents {
  start: [TargetInfo];
  tick: [RunProgress];
  live: [LiveTick];
  done: [RunResult];
}

/**
 * A running load test. Listen to `start`, `tick` (once a second) and
 * `done`, or await `result`. `interrupt()` ends it early; the result is then
 * marked interrupted but complete for what was measured.
 */
export class Run extends EventEmitter<RunEvents> {
  readonly result: Promise<RunResult>;
  private interruptRequested?: () => void;
  private interrupted = false;

  constructor(private readonly settings: RunSettings) {
    super();
    // one tick later, so listeners attached right after construction see `start`
    this.result = Promise.resolve().then(() => this.execute());
    // a rejected result is handled by whoever awaits it; keep Node quiet meanwhile
    this.result.catch(() => undefined);
  }

  interrupt(): void {
    this.interrupted = true;
    this.interruptRequested?.();
  }

  private async execute(): Promise<RunResult> {
    const s = assertValid(this.settings);
    const profile = findProfile(s.profile)!; // checked by assertValid
    // a browser asked for and missing is bad usage: said before anything starts
    const browsers = await pageBrowsers(s);
    let embedded: EmbeddedTarget | undefined;
    let target: TargetInfo;
    if (s.target) {
      // a target of one's own is spread only when asked: it must listen on every address
      target = { url: s.target, embedded: false, urls: spreadUrls(s.target, s.spread ?? 1) };
    } else {
      const peak = loadPlan(s).peak;
      const spread = s.spread ?? defaultSpread(peak);
      // past one process's open files the simulator runs as several; its
      // CPU and memory are read from /proc for the primary and every worker
      // (a scrape of its /metrics asks each worker over IPC, and under load
      // went unanswered for seconds: 5 samples in a 20 s run at 50,000)
      const simWorkers = Math.ceil(peak / CLIENTS_PER_PROCESS);
      const yieldToHarness = simulatorYields(s.checkSample);
      embedded = await startEmbeddedTarget({ profile: { ref: s.profile, document: profile.document }, faults: s.simulatorFaults, seed: s.seed, hosts: loopbackHosts(spread), workers: simWorkers, yieldToHarness });
      target = {
        url: embedded.url,
        embedded: true,
        nice: embedded.nice,
        httpUrl: embedded.httpUrl,
        urls: spreadUrls(embedded.url, spread),
        pid: embedded.pid,
      };
    }
    let result: RunResult;
    try {
      result = await this.load(s, profile, target, browsers);
      // Loss the bundled simulator caused itself (overloaded: ticks it never
      // sent) is told apart from the target's in the data_loss detail.
      const skipped = embedded && !result.abandoned && !result.interrupted ? await embedded.ticksSkipped() : undefined;
      if (skipped) result.snapshot.counters.sim_ticks_skipped = (result.snapshot.counters.sim_ticks_skipped ?? 0) + skipped;
    } finally {
      // browsers the run launched and never got to use (abandoned, failed) close here; twice is harmless
      await Promise.all((browsers ?? []).map((b) => b.driver.then((d) => d.close()).catch(() => undefined)));
      await embedded?.stop();
    }
    this.emit('done', result);
    return result;
  }

  private abandoned(s: RunSettings, target: TargetInfo, recorder: Recorder, failure: ConnectFailure): RunResult {
    const now = wallNow();
    recorder.count('clients_planned', s.clients);
    recorder.count('connect_attempts', 1);
    recorder.count('connect_first_failed', s.clients);
    recorder.count(`connect_error:${failure.kind}`, s.clients);
    recorder.sample(now, 'connect_failed', -1, failure.text);
    const result: RunResult = {
      settings: s,
      target,
      startedAt: now,
      endedAt: now,
      steadyStartMs: now,
      steadyEndMs: now,
      snapshot: { ...recorder.snapshot(), health: judgeHealth(0, 0, 0) },
      interrupted: this.interrupted,
      abandoned: failure.text,
    };
    return result;
  }

  private async load(s: RunSettings, profile: NonNullable<ReturnType<typeof findProfile>>, target: TargetInfo, browsers?: PageBrowser[]): Promise<RunResult> {
    const recorder = new Recorder();
    const ctx = createCheckContext(profile, recorder);
    const connect = connectOptionsFor(s);
    this.emit('start', target);

    // an interrupt during the clock probe must not wait out its timeout
    const abortProbe = new AbortController();
    this.interruptRequested = () => abortProbe.abort();
    const probe = this.interrupted ? {} : await probeClock(target.url, connect, profile, 8, Math.min(5000, s.connectTimeoutMs), abortProbe.signal);
    this.interruptRequested = undefined;
    const clock = probe.estimate;
    if (clock) ctx.clockOffsetMs = clock.offsetMs;
    if (probe.failure && isPermanent(probe.failure.kind)) {
      // No client can succeed where the first connection failed for good:
      // judge connect as failed for all of them instead of waiting out the run.
      return this.abandoned(s, target, recorder, probe.failure);
    }

    // Shards split the run across machines; workers split this machine's
    // part across processes. Both slice the clients the same way.
    const shard = s.shard ?? WHOLE;
    const mine = sliceCount(loadPlan(s).peak, shard);
    const workers = Math.max(1, Math.min(s.workers ?? defaultWorkers(mine), mine));
    // the browsers started launching with the run (seconds for Firefox): the load waits for them, so the pages load in the ramp
    if (browsers && shard.index === 0) await Promise.allSettled(browsers.map((b) => b.driver));
    // every worker up before time 0 (worker-pool.ts, boot): then the start message reaches them all within a moment
    const pool = workers > 1 ? await WorkerPool.boot(workers) : undefined;
    const startedAt = wallNow() + (pool ? WORKER_START_MS : 0);
    // the same choice as side-measures.ts: --fallback-url, or the embedded simulator's own
    const fallbackPolled = s.fallbackUrl !== undefined || (target.httpUrl !== undefined && profile.fallbackPath !== undefined);
    const jobs: SliceJob[] = Array.from({ length: workers }, (_, k) => ({
      settings: s,
      profile: profile.document,
      urls: target.urls ?? [target.url],
      clockOffsetMs: ctx.clockOffsetMs,
      startedAt,
      // worker k of shard i/n is slice i + k*n of n*workers
      slice: { index: shard.index + k * shard.count, count: shard.count * workers },
      stopWhenHopeless: !fallbackPolled,
    }));
    const book = new LiveBook(workers);
    const plan = loadPlan(s);
    const live = { book, target, startedAt, steadyStartMs: startedAt + plan.steadyStartMs, steadyEndMs: startedAt + plan.steadyEndMs, endsAt: startedAt + plan.totalMs, workers, shard };
    const onTick = (p: RunProgress) => {
      this.emit('tick', p);
      this.emit('live', { ...live, progress: p });
    };
    const inProcess = (p: RunProgress, iv: IntervalSnapshot) => {
      book.add(0, iv);
      onTick(p);
    };
    const runner = pool ? { run: () => pool.run(jobs, onTick, (i, iv) => book.add(i, iv)), stop: () => pool.stop() } : new SliceRunner(jobs[0], inProcess);
    // Probes, resources and fallback belong to the whole run: shard 1 (or the only one) measures them.
    const side = shard.index === 0 ? startSideMeasures(s, profile, target, connect, ctx.clockOffsetMs) : undefined;
    book.resources = () => side?.resourcesSoFar();
    const pages = shard.index === 0 && browsers ? startPageMeasure(s, profile, target, browsers, startedAt, ctx.clockOffsetMs) : undefined;
    this.interruptRequested = () => {
      runner.stop();
      side?.interrupt();
      void pages?.stop();
    };
    if (this.interrupted) this.interruptRequested();
    const outcome = await runner.run();
    side?.stopSampling();
    const measured = (await side?.finish()) ?? {};
    const browserRuns = await pages?.finish({ startMs: outcome.steadyStartMs, endMs: outcome.steadyEndMs });
    this.interruptRequested = undefined;
    const snapshot = mergeAll([recorder.snapshot(), outcome.snapshot, sideSnapshot({ ...measured, clock, ...(browserRuns ? { browsers: browserRuns } : {}) })]);
    const result: RunResult = {
      settings: s,
      target,
      startedAt,
      endedAt: outcome.endedAt,
      steadyStartMs: outcome.steadyStartMs,
      steadyEndMs: outcome.steadyEndMs,
      snapshot,
      interrupted: this.interrupted,
      workers,
      shard,
      ...(outcome.stoppedEarly ? { stoppedEarly: outcome.stoppedEarly.text } : {}),
    };
    return result;
  }
}


/** Starts a load run; the library entry point behind `livestream-bench run`. */
export function startRun(settings: RunSettings): Run {
  if (!settings) throw harnessError('no settings');
  return new Run(settings);
}
