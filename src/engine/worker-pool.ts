import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { harnessError } from '../errors.js';
import { BUSY_PROCESS_EXEC_ARGV } from '../v8-flags.js';
import { mergeAll } from '../metrics/snapshot.js';
import type { IntervalSnapshot } from '../metrics/interval.js';
import { loadPlan } from '../scenario/plan.js';
import { slicePlan } from '../scenario/slice.js';
import type { RunProgress } from './load-driver.js';
import type { SliceJob, SliceOutcome } from './slice-runner.js';

export type WorkerRequest = { kind: 'start'; job: SliceJob } | { kind: 'stop' };
export type WorkerReply =
  | { kind: 'ready' }
  | { kind: 'tick'; progress: RunProgress; interval: IntervalSnapshot }
  | { kind: 'done'; outcome: SliceOutcome }
  | { kind: 'failed'; message: string };

/** The compiled worker entry, from src/ (tests) and dist/ alike. */
const WORKER = fileURLToPath(new URL('../../dist/engine/worker-main.js', import.meta.url));

/** Connections one process holds at most: the open-file limit here is 20,000 per process. */
export const CLIENTS_PER_PROCESS = 15_000;
/** Below this a second process costs more than it saves. */
const CLIENTS_PER_WORKER_MIN = 3000;

/**
 * Default worker count: enough processes to stay under the per-process
 * connection bound, and one per core once the load is worth splitting.
 *   100 -> 1; 5,000 on 2 cores -> 2; 50,000 on 2 cores -> 4
 */
export function defaultWorkers(clients: number, cores = availableParallelism()): number {
  const byFiles = Math.ceil(clients / CLIENTS_PER_PROCESS);
  const byCores = clients >= CLIENTS_PER_WORKER_MIN ? Math.min(cores, Math.ceil(clients / CLIENTS_PER_WORKER_MIN)) : 1;
  return Math.max(1, byFiles, byCores);
}

/**
 * Runs the slices of one run in worker processes and merges what they
 * measured: their snapshots, harness health included (the worst counts).
 * Progress is the sum of the workers' latest ticks; their intervals go on
 * to the live book one by one.
 */
export class WorkerPool {
  private stopped = false;

  private constructor(private readonly children: readonly ChildProcess[]) {}

  /**
   * Forks `count` workers and resolves once every one is up (its modules
   * loaded, `ready` said). The run's time 0 is set after this: on a loaded
   * machine a worker can take seconds to boot, and a slice that started late
   * opened its clients inside the others' steady phase, so the target was
   * judged on the harness's own slowness. A worker that dies first is a
   * harness error; the others are killed.
   */
  static async boot(count: number): Promise<WorkerPool> {
    const children = Array.from({ length: count }, () => fork(WORKER, [], { execArgv: [...BUSY_PROCESS_EXEC_ARGV], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' }));
    try {
      await Promise.all(children.map((child, i) => untilReady(child, i)));
    } catch (err) {
      for (const c of children) c.kill();
      throw err;
    }
    return new WorkerPool(children);
  }

  stop(): void {
    this.stopped = true;
    for (const c of this.children) if (c.connected) c.send({ kind: 'stop' } satisfies WorkerRequest);
  }

  /** Sends each booted worker its slice (job k to worker k) and merges what they measured. */
  async run(
    jobs: readonly SliceJob[],
    onTick: (p: RunProgress) => void,
    /** Each worker's interval as it comes, by worker index (merged by the live book). */
    onInterval: (worker: number, interval: IntervalSnapshot) => void = () => undefined,
  ): Promise<SliceOutcome> {
    const latest: (RunProgress | undefined)[] = jobs.map(() => undefined);
    // every slice's clients, ticked or not: a worker that has not ticked yet still plans its share
    const planned = jobs.reduce((a, j) => a + slicePlan(loadPlan(j.settings), j.slice).peak, 0);
    let lastEmit = 0;
    const outcomes = await Promise.all(
      jobs.map(
        (job, i) =>
          new Promise<SliceOutcome>((resolve, reject) => {
            const child = this.children[i];
            let settled = false;
            child.on('message', (m: WorkerReply) => {
              if (m.kind === 'tick') {
                latest[i] = m.progress;
                onInterval(i, m.interval);
                // one progress event per second for all workers
                if (m.progress.elapsedMs - lastEmit >= 900) {
                  lastEmit = m.progress.elapsedMs;
                  onTick(sumProgress(latest, planned));
                }
              } else if (m.kind === 'done') {
                settled = true;
                child.disconnect();
                resolve(m.outcome);
              } else if (m.kind === 'failed') {
                settled = true;
                child.kill();
                reject(harnessError(`worker ${i + 1} failed: ${m.message}`));
              }
            });
            child.on('exit', (code, signal) => {
              if (!settled) reject(harnessError(`worker ${i + 1} exited before reporting (code ${code}, signal ${signal})`));
            });
            // a send to a worker that died emits this: without a listener it would throw
            child.on('error', (err) => reject(harnessError(`worker ${i + 1}: ${err.message}`, err)));
            child.send({ kind: 'start', job } satisfies WorkerRequest);
            if (this.stopped) child.send({ kind: 'stop' } satisfies WorkerRequest);
          }),
      ),
    );
    return {
      snapshot: mergeAll(outcomes.map((o) => o.snapshot)),
      steadyStartMs: Math.min(...outcomes.map((o) => o.steadyStartMs)),
      steadyEndMs: Math.min(...outcomes.map((o) => o.steadyEndMs)),
      endedAt: Math.max(...outcomes.map((o) => o.endedAt)),
      stoppedEarly: outcomes.find((o) => o.stoppedEarly)?.stoppedEarly,
    };
  }
}

/** Resolves when worker `i` says it is ready; rejects when it dies or cannot start first. */
function untilReady(child: ChildProcess, i: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    const onMessage = (m: WorkerReply) => {
      if (m.kind !== 'ready') return;
      done();
      resolve();
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      done();
      reject(harnessError(`worker ${i + 1} exited before reporting (code ${code}, signal ${signal})`));
    };
    const onError = (err: Error) => {
      done();
      reject(harnessError(`could not start worker ${i + 1}: ${err.message}`, err));
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
    child.on('error', onError);
  });
}

/** The largest of the values there are; null when no process had one. */
function maxOrNull(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length > 0 ? Math.max(...known) : null;
}

/**
 * The workers' latest ticks as one, over the clients of every slice
 * (`planned`, from the jobs): a worker that has not ticked yet adds its
 * share of the plan, not a smaller whole.
 *   ticks (open 40 of 50) and none yet, planned 100 -> open 40 of 100
 */
export function sumProgress(all: readonly (RunProgress | undefined)[], planned: number): RunProgress {
  const present = all.filter((p): p is RunProgress => p !== undefined);
  return {
    phase: present[0]?.phase ?? 'starting',
    elapsedMs: Math.max(0, ...present.map((p) => p.elapsedMs)),
    open: present.reduce((a, p) => a + p.open, 0),
    planned,
    messagesPerSec: present.reduce((a, p) => a + p.messagesPerSec, 0),
    latencyP99Ms: maxOrNull(present.map((p) => p.latencyP99Ms)),
    violations: present.reduce((a, p) => a + p.violations, 0),
    disconnects: present.reduce((a, p) => a + p.disconnects, 0),
    connectFailures: present.reduce((a, p) => a + (p.connectFailures ?? 0), 0),
    connectFailure: present.find((p) => p.connectFailure)?.connectFailure,
  };
}
