import { EventEmitter } from 'node:events';
import type { ClientOptions } from 'ws';
import { createCheckContext } from '../checks/context.js';
import { harnessError } from '../errors.js';
import { Recorder } from '../metrics/recorder.js';
import type { MetricsSnapshot } from '../metrics/snapshot.js';
import { findProfile } from '../profile/index.js';
import { chaosPlan } from '../scenario/chaos-plan.js';
import { loadPlan } from '../scenario/plan.js';
import { assertValid, type RunSettings } from '../scenario/settings.js';
import { LoadDriver, type RunProgress } from './load-driver.js';
import { probeClock } from './clock-probe.js';
import { isPermanent, type ConnectFailure } from './connect-errors.js';
import type { ClockEstimate } from './clock.js';
import { startEmbeddedTarget, type EmbeddedTarget } from './embedded-target.js';
import { HealthMonitor, judgeHealth, type HarnessHealth } from './health.js';
import { wallNow } from './time.js';

export type { Phase, RunProgress } from './load-driver.js';

export interface TargetInfo {
  url: string;
  embedded: boolean;
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
  clock?: ClockEstimate;
  health: HarnessHealth;
  snapshot: MetricsSnapshot;
  interrupted: boolean;
  /** Why the run stopped before opening its clients, when it did. */
  abandoned?: string;
}

export interface RunEvents {
  start: [TargetInfo];
  tick: [RunProgress];
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
    this.result = this.execute();
    // a rejected result is handled by whoever awaits it; keep Node quiet meanwhile
    this.result.catch(() => undefined);
  }

  interrupt(): void {
    this.interrupted = true;
    this.interruptRequested?.();
  }

  private wsOptions(): ClientOptions {
    const s = this.settings;
    return {
      headers: s.headers,
      handshakeTimeout: s.connectTimeoutMs,
      perMessageDeflate: false,
      rejectUnauthorized: !s.insecure,
      ...(s.ca ? { ca: s.ca } : {}),
      maxPayload: 16 * 1024 * 1024,
    };
  }

  private async execute(): Promise<RunResult> {
    const s = assertValid(this.settings);
    const profile = findProfile(s.profile)!;
    let embedded: EmbeddedTarget | undefined;
    let target: TargetInfo;
    if (s.target) {
      target = { url: s.target, embedded: false };
    } else {
      embedded = await startEmbeddedTarget({ faults: s.simulatorFaults, seed: s.seed });
      target = { url: embedded.url, embedded: true, pid: embedded.pid, httpUrl: embedded.httpUrl };
    }
    try {
      return await this.load(s, profile, target);
    } finally {
      await embedded?.stop();
    }
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
      health: judgeHealth(0, 0, 0),
      snapshot: recorder.snapshot(),
      interrupted: this.interrupted,
      abandoned: failure.text,
    };
    this.emit('done', result);
    return result;
  }

  private async load(s: RunSettings, profile: NonNullable<ReturnType<typeof findProfile>>, target: TargetInfo): Promise<RunResult> {
    const recorder = new Recorder();
    const ctx = createCheckContext(profile, recorder);
    const wsOptions = this.wsOptions();
    this.emit('start', target);

    const probe = this.interrupted ? {} : await probeClock(target.url, wsOptions, profile, 8, Math.min(5000, s.connectTimeoutMs));
    const clock = probe.estimate;
    if (clock) ctx.clockOffsetMs = clock.offsetMs;
    if (probe.failure && isPermanent(probe.failure.kind)) {
      // No client can succeed where the first connection failed for good:
      // judge connect as failed for all of them instead of waiting out the run.
      return this.abandoned(s, target, recorder, probe.failure);
    }

    const plan = loadPlan(s);
    const chosen = new Set(s.channels);
    const subscribe = profile.channels.filter((c) => !c.autoStart && chosen.has(c.channel)).map((c) => c.channel);
    const config = { url: target.url, wsOptions, subscribe, policy: s.policy, closeTimeoutMs: s.closeTimeoutMs };
    // a cut client needs the first backoff delay and two of the quickest
    // channel's intervals to come back and show it streams again
    const quickest = Math.min(...profile.channels.filter((c) => c.autoStart || chosen.has(c.channel)).map((c) => c.intervalMs));
    const rounds = s.chaos ? chaosPlan(s.chaos, plan, s.policy.initialMs + 2 * quickest + 1000) : [];

    const health = new HealthMonitor();
    health.start();
    const startedAt = wallNow();
    ctx.steadyStartMs = startedAt + plan.steadyStartMs;
    ctx.steadyEndMs = startedAt + plan.steadyEndMs;
    recorder.count('cut_rounds_planned', rounds.length);
    const driver = new LoadDriver(ctx, config, plan, rounds, (p) => this.emit('tick', p));
    this.interruptRequested = () => driver.stop();
    if (this.interrupted) driver.stop();
    await driver.drive(startedAt);
    this.interruptRequested = undefined;
    // the harness is judged on the load, not on closing thousands of sockets
    const harness = health.stop();
    await driver.close();
    const result: RunResult = {
      settings: s,
      target,
      startedAt,
      endedAt: wallNow(),
      steadyStartMs: ctx.steadyStartMs,
      steadyEndMs: ctx.steadyEndMs,
      clock,
      health: harness,
      snapshot: recorder.snapshot(),
      interrupted: this.interrupted,
    };
    this.emit('done', result);
    return result;
  }
}


/** Starts a load run; the library entry point behind `livestream-bench run`. */
export function startRun(settings: RunSettings): Run {
  if (!settings) throw harnessError('no settings');
  return new Run(settings);
}
