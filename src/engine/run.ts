import { EventEmitter } from 'node:events';
import type { ClientOptions } from 'ws';
import { createCheckContext } from '../checks/context.js';
import { harnessError } from '../errors.js';
import { Recorder } from '../metrics/recorder.js';
import type { MetricsSnapshot } from '../metrics/snapshot.js';
import { findProfile } from '../profile/index.js';
import { rampPlan } from '../scenario/ramp.js';
import { assertValid, type RunSettings } from '../scenario/settings.js';
import { StreamClient } from './client.js';
import { probeClock } from './clock-probe.js';
import { isPermanent, type ConnectFailure } from './connect-errors.js';
import type { ClockEstimate } from './clock.js';
import { startEmbeddedTarget, type EmbeddedTarget } from './embedded-target.js';
import { HealthMonitor, judgeHealth, type HarnessHealth } from './health.js';
import { wallNow } from './time.js';

export const STEADY_SETTLE_MS = 1000;

export type Phase = 'starting' | 'ramp' | 'steady' | 'closing' | 'done';

export interface RunProgress {
  phase: Phase;
  elapsedMs: number;
  open: number;
  planned: number;
  messagesPerSec: number;
  latencyP99Ms: number;
  violations: number;
  disconnects: number;
}

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

    const health = new HealthMonitor();
    health.start();
    const startedAt = wallNow();
    // The steady phase starts a settle time after the ramp, so connects still
    // in flight when the last client was due do not count against uptime.
    ctx.steadyStartMs = startedAt + s.rampMs + STEADY_SETTLE_MS;
    ctx.steadyEndMs = ctx.steadyStartMs + s.durationMs;

    const chosen = new Set(s.channels);
    const subscribe = profile.channels.filter((c) => !c.autoStart && chosen.has(c.channel)).map((c) => c.channel);
    let open = 0;
    const clients: StreamClient[] = [];
    const config = { url: target.url, wsOptions, subscribe, policy: s.policy, closeTimeoutMs: s.closeTimeoutMs };
    const plan = rampPlan(s.clients, s.rampMs);
    for (let i = 0; i < s.clients; i += 1) {
      clients.push(new StreamClient(i, config, ctx, (d) => (open += d)));
    }

    let phase: Phase = 'ramp';
    let next = 0;
    const longest = Math.max(...profile.channels.map((c) => c.intervalMs));
    let lastFrames = 0;

    await new Promise<void>((resolve) => {
      const rampTimer = setInterval(() => {
        const elapsed = wallNow() - startedAt;
        while (next < plan.length && plan[next] <= elapsed) clients[next++].start();
        if (next >= plan.length) clearInterval(rampTimer);
      }, 5);
      const secondTimer = setInterval(() => {
        const now = wallNow();
        recorder.open(now, open);
        ctx.ledger.prune(longest);
        if (phase === 'ramp' && now >= ctx.steadyStartMs) phase = 'steady';
        const frames = recorder.counter('frames');
        const prev = recorder.secondStats(Math.floor(now / 1000) - 1);
        this.emit('tick', {
          phase,
          elapsedMs: now - startedAt,
          open,
          planned: s.clients,
          messagesPerSec: frames - lastFrames,
          latencyP99Ms: prev.latencyP99Ms,
          violations: recorder.counter('violations'),
          disconnects: recorder.counter('disconnects_unintended'),
        });
        lastFrames = frames;
      }, 1000);
      const endTimer = setTimeout(finish, ctx.steadyEndMs - wallNow());
      function finish() {
        clearInterval(rampTimer);
        clearInterval(secondTimer);
        clearTimeout(endTimer);
        resolve();
      }
      this.interruptRequested = finish;
    });
    this.interruptRequested = undefined;

    phase = 'closing';
    const endedSteady = wallNow();
    // The steady phase ends when the clients are told to stop: early when
    // interrupted, and never after the moment their books are closed.
    ctx.steadyEndMs = Math.min(ctx.steadyEndMs, endedSteady);
    recorder.open(endedSteady, open);
    await Promise.all(clients.map((c) => c.stop()));
    const harness = health.stop();
    recorder.count('clients_planned', s.clients);
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
