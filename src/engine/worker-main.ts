import { SliceRunner, type SliceJob } from './slice-runner.js';
import type { WorkerReply, WorkerRequest } from './worker-pool.js';

/**
 * Entry of a worker process (forked by WorkerPool): runs the slice it is
 * sent and reports ticks and the final snapshot over IPC. It never exits by
 * itself: once the coordinator disconnects, nothing keeps it alive.
 */
let runner: SliceRunner | undefined;
const send = (m: WorkerReply) => process.send?.(m);

process.on('message', (m: WorkerRequest) => {
  if (m.kind === 'start') {
    runner = new SliceRunner(m.job as SliceJob, (progress, interval) => send({ kind: 'tick', progress, interval }));
    runner.run().then(
      (outcome) => send({ kind: 'done', outcome }),
      (err: Error) => send({ kind: 'failed', message: err.message }),
    );
  } else if (m.kind === 'stop') {
    runner?.stop();
  }
});
// Ctrl-C reaches the whole process group: the coordinator decides what to do.
process.on('SIGINT', () => undefined);
process.on('disconnect', () => runner?.stop());
send({ kind: 'ready' });
