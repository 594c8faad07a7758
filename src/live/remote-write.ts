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
/** Label sets whose encoding is kept: a run's series are a few dozen, each pushed every second. */
const LABELS_KEPT = 4096;
const labelBytes = new Map<string, Uint8Array>();

export interface RwSample {
  value: number;
  /** Epoch ms. */
  timestamp: number;
}

export interface RwSeries {
  /** `__name__` and the rest. */
  labels: Record<string, string>;
  samples: RwSample[];
}

/**
 * One series' key: its labels in the order they were written. frameSeries
 * (prometheus-export.ts) writes one series' labels in one order always, so
 * no sort is needed to key them.
 */
export function labelKey(labels: Readonly<Record<string, string>>): string {
  let key = '';
  for (const k in labels) key += `${k}\u0001${labels[k]}\u0002`;
  return key;
}

/**
 * A series' labels, sorted by name as Prometheus requires, encoded as
 * TimeSeries fields once per label set: the same series go out every
 * second, and encoding their ~6 label strings each time was most of a
 * push's CPU (bench/live-cost.js).
 */
function labelsOf(labels: Readonly<Record<string, string>>): Uint8Array {
  const key = labelKey(labels);
  let bytes = labelBytes.get(key);
  if (!bytes) {
    const sorted = Object.entries(labels)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => ({ name, value }));
    bytes = TimeSeries.encode(TimeSeries.create({ labels: sorted })).finish();
    if (labelBytes.size >= LABELS_KEPT) labelBytes.clear();
    labelBytes.set(key, bytes);
  }
  return bytes;
}

/**
 * The HTTP body of one remote write. A TimeSeries is its labels' fields
 * followed by its samples' (protobuf fields concatenate), so each is the
 * kept label bytes and the samples, in time order, written field by field
 * with protobufjs's Writer (a message object and its encoder per series
 * was half a push's CPU): the same bytes as encoding the whole
 * WriteRequest at once (test/live/live-units.test.ts).
 */
export function encodeWrite(series: readonly RwSeries[]): Uint8Array {
  const w = protobuf.Writer.create();
  for (const s of series) {
    const sw = protobuf.Writer.create();
    const labels = labelsOf(s.labels);
    const sorted = s.samples.length > 1 ? [...s.samples].sort((a, b) => a.timestamp - b.timestamp) : s.samples;
    for (const x of sorted) sw.uint32(SAMPLES_TAG).fork().uint32(VALUE_TAG).double(x.value).uint32(TIMESTAMP_TAG).int64(x.timestamp).ldelim();
    const samples = sw.finish();
    const one = new Uint8Array(labels.length + samples.length);
    one.set(labels);
    one.set(samples, labels.length);
    w.uint32(TIMESERIES_TAG).bytes(one);
  }
  return compress(w.finish());
}

export const REMOTE_WRITE_HEADERS = {
  'content-type': 'application/x-protobuf',
  'content-encoding': 'snappy',
  'x-prometheus-remote-write-version': '0.1.0',
  'user-agent': 'livestream-bench',
} as const;
