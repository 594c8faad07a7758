import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import type { LiveLabels } from '../metrics/live-names.js';
import type { LiveFrame, LiveViolation } from './frame.js';
import type { LiveSink } from './live-view.js';
import { PushStats } from './push-stats.js';

/**
 * `--export ndjson=<file>`: one JSON line a second (the frame, with the
 * run's labels) and one per violation as it is seen, then a last `final`
 * line with the report's figures. Writes are buffered by the stream: a slow
 * disk never holds up the run; a failed write is counted.
 */
export class NdjsonExport implements LiveSink {
  private readonly out: WriteStream;
  private readonly push: PushStats;
  private broken = false;

  constructor(file: string, problem: (line: string) => void) {
    this.push = new PushStats('ndjson', file, problem);
    // opened now, before the run: a file that cannot be written is bad usage, said before any work
    this.out = createWriteStream(file, { fd: openSync(file, 'w') });
    this.out.on('error', (err) => {
      this.broken = true;
      this.push.fail(err);
    });
  }

  private line(value: unknown): void {
    if (this.broken) return void this.push.fail(new Error('the file cannot be written'));
    this.out.write(`${JSON.stringify(value)}\n`);
    this.push.ok();
  }

  second(frame: LiveFrame, labels: LiveLabels): void {
    this.line({ ...frame, labels });
  }

  violation(v: LiveViolation): void {
    this.line(v);
  }

  async finish(frame: LiveFrame, labels: LiveLabels): Promise<void> {
    this.line({ ...frame, type: 'final', labels });
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.broken ? resolve() : this.out.end(() => resolve())));
  }

  stats() {
    return this.push.stats();
  }
}
