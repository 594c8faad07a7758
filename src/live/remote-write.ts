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
const WriteRequest = root.lookupType('prometheus.WriteRequest');

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

/** The HTTP body of one remote write: labels sorted by name, as Prometheus requires. */
export function encodeWrite(series: readonly RwSeries[]): Uint8Array {
  const timeseries = series.map((s) => ({
    labels: Object.entries(s.labels)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => ({ name, value })),
    samples: [...s.samples].sort((a, b) => a.timestamp - b.timestamp),
  }));
  return compress(WriteRequest.encode(WriteRequest.create({ timeseries })).finish());
}

export const REMOTE_WRITE_HEADERS = {
  'content-type': 'application/x-protobuf',
  'content-encoding': 'snappy',
  'x-prometheus-remote-write-version': '0.1.0',
  'user-agent': 'livestream-bench',
} as const;
