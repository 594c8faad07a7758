import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { harnessError } from '../errors.js';
import { BUSY_PROCESS_EXEC_ARGV } from '../v8-flags.js';
import { mergeAll } from '../metrics/snapshot.js';
import type { IntervalSnapshot } from '../metrics/interval.js';
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
  private readonly children: ChildProcess[] = [];
  private stopped = false;

  constructor(
    private readonly jobs: readonly SliceJob[],
    private readonly onTick: (p: RunProgress) => void,
    /** Each worker's interval as it comes, by worker index (merged by the live book). */
    private readonly onInterval: (worker: number, interval: IntervalSnapshot) => void = () => undefined,
  ) {}

  stop(): void {
    this.stopped = true;
    for (const c of this.children) if (c.connected) c.send({ kind: 'stop' } satisfies WorkerRequest);
  }

  async run(): Promise<SliceOutcome> {
    const latest: (RunProgress | undefined)[] = this.jobs.map(() => undefined);
    let lastEmit = 0;
    const outcomes = await Promise.all(
      this.jobs.map(
        (job, i) =>
          new Promise<SliceOutcome>((resolve, reject) => {
            const child = fork(WORKER, [], { execArgv: [...BUSY_PROCESS_EXEC_ARGV], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
            this.children.push(child);
            let settled = false;
            child.on('message', (m: WorkerReply) => {
              if (m.kind === 'ready') {
                child.send({ kind: 'start', job } satisfies WorkerRequest);
                if (this.stopped) child.send({ kind: 'stop' } satisfies WorkerRequest);
              } else if (m.kind === 'tick') {
                latest[i] = m.progress;
                this.onInterval(i, m.interval);
                // one progress event per second for all workers
                if (m.progress.elapsedMs - lastEmit >= 900) {
                  lastEmit = m.progress.elapsedMs;
                  this.onTick(sumProgress(latest));
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
            child.on('error', (err) => reject(harnessError(`could not start worker ${i + 1}: ${err.message}`, err)));
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

/** The largest of the values there are; null when no process had one. */
function maxOrNull(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length > 0 ? Math.max(...known) : null;
}

function sumProgress(all: readonly (RunProgress | undefined)[]): RunProgress {
  const present = all.filter((p): p is RunProgress => p !== undefined);
  return {
    phase: present[0]?.phase ?? 'starting',
    elapsedMs: Math.max(0, ...present.map((p) => p.elapsedMs)),
    open: present.reduce((a, p) => a + p.open, 0),
    planned: present.reduce((a, p) => a + p.planned, 0),
    messagesPerSec: present.reduce((a, p) => a + p.messagesPerSec, 0),
    latencyP99Ms: maxOrNull(present.map((p) => p.latencyP99Ms)),
    violations: present.reduce((a, p) => a + p.violations, 0),
    disconnects: present.reduce((a, p) => a + p.disconnects, 0),
    connectFailures: present.reduce((a, p) => a + (p.connectFailures ?? 0), 0),
    connectFailure: present.find((p) => p.connectFailure)?.connectFailure,
  };
}
