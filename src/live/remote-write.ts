import protobuf from 'protobufjs';
import { compress } from 'snappyjs';

/**
 * Prometheus remote write 1.0: a WriteRequest in protobuf, snappy-compressed
 * (block format). The message types are the four of Prometheus's
 * prompb/types.proto that a write needs, declared here in protobufjs's JSON
 * form rather than read from a .proto file at run time.
 */
const root = protobuf.Root.fromJSON({
  nested: {
    prometheus: {
      nested: {
        WriteRequest: { fields: { timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 } } },
        TimeSeries: { fields: { labels: { rule: 'repeated', type: 'Label', id: 1 }, samples: { rule: 'repeated', type: 'Sample', id: 2 } } },
        Label: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        Sample: { fields: { value: { type: 'double', id: 1 }, timestamp: { type: 'int64', id: 2 } } },
      },
    },
  },
});
const TimeSeries = root.lookupType('prometheus.TimeSeries');
/** WriteRequest's `timeseries` field (1, length-delimited): its tag. */
const TIMESERIES_TAG = (1 << 3) | 2;
/** TimeSeries's `samples` (2, length-delimited), Sample's `value` (1, 64-bit) and `timestamp` (2, varint): their tags. */
const SAMPLES_TAG = (2 << 3) | 2;
const VALUE_TAG = (1 << 3) | 1;
const TIMESTAMP_TAG = (2 << 3) | 0;

/**
 * A series' labels, sorted by name as Prometheus requires, encoded as
 * TimeSeries fields (protobufjs, once per label set: the same series go out
 * every second).
 */
export function encodeLabels(labels: Readonly<Record<string, string>>): Uint8Array {
  const sorted = Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => ({ name, value }));
  return TimeSeries.encode(TimeSeries.create({ labels: sorted })).finish();
}

/** Bytes of `v` as a protobuf varint; `v` a whole number, 0 <= v < 2^53. */
function varintLength(v: number): number {
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n += 1;
  }
  return n;
}

function writeVarint(buf: Buffer, at: number, v: number): number {
  while (v >= 128) {
    buf[at++] = (v % 128) | 128;
    v = Math.floor(v / 128);
  }
  buf[at++] = v;
  return at;
}

/** A Sample message's length: value's tag and 8 bytes, timestamp's tag and varint. */
const sampleLength = (timestamp: number) => 10 + varintLength(timestamp);

/**
 * One remote write's series and their samples, gathered as they come (one
 * second's, or several while a push is in flight) and written into one
 * buffer: each series is its kept label bytes (encodeLabels, by the caller,
 * once per label set) followed by its samples in time order, field by field,
 * the same bytes as protobufjs's encoding of the whole WriteRequest
 * (test/live/live-units.test.ts). A push each second encoded through
 * protobufjs's Writer and a string key per series made ~100 KB of garbage a
 * second, the largest share of what the live view allocates and so of the
 * main process's collections (bench/live-cost.js): here a series is keyed by
 * its label bytes' identity, and the buffer and the sample arrays are kept
 * from one push to the next.
 */
export class WriteBatch {
  /** Label bytes -> samples, flat (value, timestamp, value, timestamp...), the last push that held any, and its TimeSeries' length in this one. */
  private readonly series = new Map<Uint8Array, { samples: number[]; used: number; length: number }>();
  private count = 0;
  private pushes = 0;
  private scratch = Buffer.alloc(16 * 1024);

  /** Samples held. */
  get size(): number {
    return this.count;
  }

  add(labels: Uint8Array, value: number, timestamp: number): void {
    if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError(`a remote-write timestamp is epoch ms (got ${timestamp})`);
    let entry = this.series.get(labels);
    if (!entry) this.series.set(labels, (entry = { samples: [], used: this.pushes, length: 0 }));
    entry.samples.push(value, timestamp);
    this.count += 1;
  }

  /**
   * Keeps the newest `max` samples at most: the oldest of all are dropped
   * first, whichever series holds them (a backend that cannot keep up costs
   * the oldest seconds, not a new series' first sample). A rare path: only
   * while pushes fail to finish.
   */
  cap(max: number): void {
    if (this.count <= max) return;
    const held = [...this.series.values()].filter((e) => e.samples.length > 0);
    for (const e of held) oldestFirst(e.samples);
    while (this.count > max) {
      let oldest: { samples: number[] } | undefined;
      for (const e of held) if (e.samples.length > 0 && (!oldest || e.samples[1] < oldest.samples[1])) oldest = e;
      oldest!.samples.splice(0, 2);
      this.count -= 1;
    }
  }

  /** The request's body, snappy-compressed; the batch is empty after. */
  take(): Uint8Array {
    this.pushes += 1;
    let size = 0;
    for (const [labels, entry] of this.series) {
      if (entry.samples.length === 0) continue;
      oldestFirst(entry.samples);
      entry.length = seriesLength(labels, entry.samples);
      size += 1 + varintLength(entry.length) + entry.length;
    }
    if (this.scratch.length < size) this.scratch = Buffer.alloc(Math.max(size, this.scratch.length * 2));
    const buf = this.scratch;
    let at = 0;
    for (const [labels, entry] of this.series) {
      const samples = entry.samples;
      if (samples.length === 0) {
        // a label set gone from the frames (a channel no longer seen, a run's labels changed) is let go
        if (this.pushes - entry.used > UNUSED_PUSHES) this.series.delete(labels);
        continue;
      }
      entry.used = this.pushes;
      buf[at++] = TIMESERIES_TAG;
      at = writeVarint(buf, at, entry.length);
      buf.set(labels, at);
      at += labels.length;
      for (let i = 0; i < samples.length; i += 2) {
        buf[at++] = SAMPLES_TAG;
        // at most 18: a timestamp's varint is 8 bytes at most (add keeps it below 2^53)
        buf[at++] = sampleLength(samples[i + 1]);
        buf[at++] = VALUE_TAG;
        at = buf.writeDoubleLE(samples[i], at);
        buf[at++] = TIMESTAMP_TAG;
        at = writeVarint(buf, at, samples[i + 1]);
      }
      samples.length = 0;
    }
    this.count = 0;
    // compress writes into a buffer of its own: the scratch is free for the next push
    return compress(buf.subarray(0, at));
  }

  /** Label sets kept, those of the last pushes and those waiting. */
  get kept(): number {
    return this.series.size;
  }
}

/** Pushes a label set may go without a sample before it is let go. */
const UNUSED_PUSHES = 60;

function seriesLength(labels: Uint8Array, samples: readonly number[]): number {
  let length = labels.length;
  for (let i = 1; i < samples.length; i += 2) length += 2 + sampleLength(samples[i]);
  return length;
}

/** Sorts flat value/timestamp pairs by timestamp, in place; one pair (the usual push) is left alone. */
function oldestFirst(samples: number[]): void {
  if (samples.length <= 2) return;
  let sorted = true;
  for (let i = 3; i < samples.length && sorted; i += 2) sorted = samples[i - 2] <= samples[i];
  if (sorted) return;
  const pairs: [number, number][] = [];
  for (let i = 0; i < samples.length; i += 2) pairs.push([samples[i], samples[i + 1]]);
  pairs.sort((a, b) => a[1] - b[1]);
  pairs.forEach(([v, t], i) => {
    samples[2 * i] = v;
    samples[2 * i + 1] = t;
  });
}

export const REMOTE_WRITE_HEADERS = {
  'content-type': 'application/x-protobuf',
  'content-encoding': 'snappy',
  'x-prometheus-remote-write-version': '0.1.0',
  'user-agent': 'livestream-bench',
} as const;
