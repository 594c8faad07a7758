import { inferEnvelope } from './envelope.js';
import { inferProfile, LearnFailure, type LearnedProfile, type LearnHints } from './infer.js';
import { isObject, type ObjectFrame } from './observed.js';
import type { Received, StreamRecorder } from './recording.js';

/**
 * `learn`: watch a stream for a while over a few connections, then draft
 * its profile from what was seen (infer.ts). The recorder is the
 * transport's (stream-recorder.ts, over the harness's transports); progress is one line a
 * second, the messages seen per type.
 */
export interface LearnOptions {
  readonly url: string;
  readonly clients: number;
  readonly durationMs: number;
  readonly send: readonly unknown[];
  readonly recorder: StreamRecorder;
  readonly hints?: Partial<LearnHints>;
  readonly sendGapMs?: number;
  readonly onProgress?: (line: string) => void;
  readonly progressEveryMs?: number;
  readonly signal?: AbortSignal;
}

/** A name without spaces from where the stream is: `learned-127.0.0.1-feed`. */
export function nameFor(url: URL): string {
  const tail = url.pathname.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '');
  return `learned-${url.hostname}${tail ? `-${tail}` : ''}`.replace(/[\s[\]]/g, '');
}

export async function learn(o: LearnOptions): Promise<LearnedProfile> {
  const url = new URL(o.url);
  const frames: ObjectFrame[] = [];
  let total = 0;
  const onFrame = (f: Received) => {
    total += 1;
    if (f.text === undefined) return;
    try {
      const v: unknown = JSON.parse(f.text);
      if (isObject(v)) frames.push({ conn: f.conn, at: f.at, value: v });
    } catch {
      // counted, not shown: the end says how many were not JSON
    }
  };
  const started = Date.now();
  const timer = o.onProgress
    ? setInterval(() => o.onProgress!(progressLine(frames, total, Date.now() - started)), o.progressEveryMs ?? 1000)
    : undefined;
  try {
    const recording = await o.recorder({ url: o.url, clients: o.clients, durationMs: o.durationMs, send: o.send, onFrame, ...(o.sendGapMs !== undefined ? { sendGapMs: o.sendGapMs } : {}), ...(o.signal ? { signal: o.signal } : {}) });
    o.onProgress?.(progressLine(frames, total, recording.endedAt - recording.startedAt));
    const port = url.port ? Number(url.port) : undefined;
    return inferProfile(recording, { name: nameFor(url), path: url.pathname || '/', ...(port !== undefined ? { defaultPort: port } : {}), ...o.hints });
  } finally {
    if (timer) clearInterval(timer);
  }
}

/** `learn 4s: 212 messages: reading 140, valve 70, ready 2` (types once the envelope can be told). */
export function progressLine(frames: readonly ObjectFrame[], total: number, elapsedMs: number): string {
  const head = `learn ${Math.round(elapsedMs / 1000)}s: ${total} message(s)`;
  if (frames.length === 0) return head;
  const env = inferEnvelope(frames);
  if (typeof env === 'string') return head;
  const counts = new Map<string, number>();
  for (const f of frames) {
    const t = f.value[env.type];
    if (typeof t === 'string') counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return `${head}: ${[...counts].sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${n}`).join(', ')}`;
}

export { LearnFailure };
