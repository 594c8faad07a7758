import { createCheckContext } from '../checks/context.js';
import { stallPollMs } from '../metrics/harness-stalls.js';
import { Recorder } from '../metrics/recorder.js';
import type { IntervalSnapshot } from '../metrics/interval.js';
import type { MetricsSnapshot } from '../metrics/snapshot.js';
import { adoptProfile, type ProfileDocument } from '../profile/index.js';
import { chaosPlan, cutReturnMs } from '../scenario/chaos-plan.js';
import { churnPlan, churnReturnMs, sliceChurn } from '../scenario/churn-plan.js';
import { loadPlan } from '../scenario/plan.js';
import type { RunSettings } from '../scenario/settings.js';
import { slicePlan, sliceRounds, type Slice } from '../scenario/slice.js';
import { HealthMonitor } from './health.js';
import type { ConnectFailure } from './connect-errors.js';
import { LoadDriver, type RunProgress } from './load-driver.js';
import { wallNow } from './time.js';
import { transportFor, type ConnectOptions } from '../transport/index.js';
import { streamUrl } from './stream-url.js';

/** What one process needs to run its slice of the clients. Plain data: it crosses IPC. */
export interface SliceJob {
  settings: RunSettings;
  /** The profile, by value: a worker on this or another machine never reads the user's file. */
  profile: ProfileDocument;
  /** Where clients connect, round-robin (one, or several loopback addresses). */
  urls: string[];
  clockOffsetMs: number;
  /** Epoch ms the plan's time 0 is at, the same for every slice. */
  startedAt: number;
  slice: Slice;
  /**
   * End the run when every first open failed the same way (first-attempts.ts).
   * Off while a REST fallback is polled: a refused stream is then what is tested.
   */
  stopWhenHopeless: boolean;
}

export interface SliceOutcome {
  /** What the slice measured, its harness health included. */
  snapshot: MetricsSnapshot;
  steadyStartMs: number;
  steadyEndMs: number;
  endedAt: number;
  /** Why the slice ended before its plan: every first open failed this way. */
  stoppedEarly?: ConnectFailure;
}

/** How every connection of the run reaches the target, whatever its protocol. */
export function connectOptionsFor(s: RunSettings): ConnectOptions {
  return {
    headers: s.headers,
    connectTimeoutMs: s.connectTimeoutMs,
    rejectUnauthorized: !s.insecure,
    ...(s.ca ? { ca: s.ca } : {}),
    // a message over the cap is a violation, and the transport never buffers more than it
    maxMessageBytes: s.maxFrameBytes,
  };
}

/**
 * Runs one slice of the clients in this process: the same code whether the
 * run is one process, one of several workers, or one shard of many machines.
 */
export class SliceRunner {
  private driver?: LoadDriver;
  private stopped = false;

  constructor(
    private readonly job: SliceJob,
    private readonly onTick: (p: RunProgress, interval: IntervalSnapshot) => void,
  ) {}

  stop(): void {
    this.stopped = true;
    this.driver?.stop();
  }

  async run(): Promise<SliceOutcome> {
    const { settings: s, slice } = this.job;
    const profile = adoptProfile(s.profile, this.job.profile);
    const recorder = new Recorder();
    const ctx = createCheckContext(profile, recorder);
    ctx.clockOffsetMs = this.job.clockOffsetMs;

    const whole = loadPlan(s);
    const plan = slicePlan(whole, slice);
    const chosen = new Set(s.channels);
    const subscribe = profile.channels.filter((c) => !c.autoStart && chosen.has(c.channel)).map((c) => c.channel);
    // UTF-8 is checked once per distinct frame by the parser (checks/frame-parser.ts), not by ws on every copy
    const connect = { ...connectOptionsFor(s), skipUtf8Validation: true };
    const urls = this.job.urls.map((u) => streamUrl(u, profile, subscribe));
    // stalls are looked for as often as the fastest channel's cadence needs
    const health = new HealthMonitor(stallPollMs(Math.min(...profile.channels.map((c) => c.intervalMs))));
    const config = { activity: health, urls, checkSample: s.checkSample ?? 1, transport: transportFor(profile.transport), connect, subscribe, policy: s.policy, closeTimeoutMs: s.closeTimeoutMs };
    const rounds = s.chaos ? chaosPlan(s.chaos, whole, cutReturnMs(s, profile)) : [];
    const churn = s.churnPerSecond ? churnPlan(s.churnPerSecond, whole, churnReturnMs(s, profile)) : [];
    if (slice.index === 0) recorder.count('cut_rounds_planned', rounds.length);
    if (slice.index === 0) recorder.count('churn_planned', churn.length);

    const startedAt = this.job.startedAt;
    ctx.steadyStartMs = startedAt + plan.steadyStartMs;
    ctx.steadyEndMs = startedAt + plan.steadyEndMs;
    const driver = new LoadDriver(ctx, config, plan, sliceRounds(rounds, slice), this.onTick, sliceChurn(churn, slice), this.job.stopWhenHopeless);
    this.driver = driver;
    ctx.stalls = health.stalls;
    // slices start together at `startedAt`, even if this process came up sooner
    const wait = startedAt - wallNow();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    health.start();
    if (this.stopped) driver.stop();
    await driver.drive(startedAt);
    // the harness is judged on the load, not on closing thousands of sockets
    const harness = health.stop();
    await driver.close();
    return {
      snapshot: { ...recorder.snapshot(), health: harness },
      steadyStartMs: ctx.steadyStartMs,
      steadyEndMs: ctx.steadyEndMs,
      endedAt: wallNow(),
      ...(driver.stoppedEarly ? { stoppedEarly: driver.stoppedEarly } : {}),
    };
  }
}
