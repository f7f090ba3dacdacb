// Prometheus remote write 1.0 on the wire: a WriteRequest protobuf, snappy block-compressed,
// POSTed with the spec's headers (https://prometheus.io/docs/concepts/remote_write_spec/).
// The messages are prompb's types.proto (prometheus/prompb), field numbers as there; the
// Histogram message is the native-histogram one that Prometheus ≥ 2.40 accepts. Encoded with
// protobufjs (reflection, no generated code), compressed with snappy (napi-rs).
import type { Type } from 'protobufjs';
import { lazyRequire } from '../../../lib/lazy-require.ts';

// loaded on first use: a run without remote write never pays for protobufjs and snappy
const protobuf = lazyRequire<typeof import('protobufjs')>('protobufjs');
const snappy = lazyRequire<typeof import('snappy')>('snappy');
let writeRequest: Type | undefined;
const WRITE_REQUEST_SCHEMA = {
  nested: {
    prometheus: {
      nested: {
        WriteRequest: { fields: { timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 } } },
        TimeSeries: {
          fields: {
            labels: { rule: 'repeated', type: 'Label', id: 1 },
            samples: { rule: 'repeated', type: 'Sample', id: 2 },
            histograms: { rule: 'repeated', type: 'Histogram', id: 4 },
          },
        },
        Label: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        Sample: { fields: { value: { type: 'double', id: 1 }, timestamp: { type: 'int64', id: 2 } } },
        BucketSpan: { fields: { offset: { type: 'sint32', id: 1 }, length: { type: 'uint32', id: 2 } } },
        Histogram: {
          oneofs: { count: { oneof: ['countInt', 'countFloat'] }, zeroCount: { oneof: ['zeroCountInt', 'zeroCountFloat'] } },
          fields: {
            countInt: { type: 'uint64', id: 1 },
            countFloat: { type: 'double', id: 2 },
            sum: { type: 'double', id: 3 },
            schema: { type: 'sint32', id: 4 },
            zeroThreshold: { type: 'double', id: 5 },
            zeroCountInt: { type: 'uint64', id: 6 },
            zeroCountFloat: { type: 'double', id: 7 },
            negativeSpans: { rule: 'repeated', type: 'BucketSpan', id: 8 },
            negativeDeltas: { rule: 'repeated', type: 'sint64', id: 9 },
            positiveSpans: { rule: 'repeated', type: 'BucketSpan', id: 11 },
            positiveDeltas: { rule: 'repeated', type: 'sint64', id: 12 },
            resetHint: { type: 'int32', id: 14 },
            timestamp: { type: 'int64', id: 15 },
          },
        },
      },
    },
  },
};
function WR(): Type { return (writeRequest ??= protobuf().Root.fromJSON(WRITE_REQUEST_SCHEMA).lookupType('prometheus.WriteRequest')); }

export interface Label { name: string; value: string }
export interface NativeHistogram {
  countInt: number; sum: number; schema: number; zeroThreshold: number; zeroCountInt: number;
  positiveSpans: Array<{ offset: number; length: number }>; positiveDeltas: number[];
  /** 0 unknown, 1 yes, 2 no, 3 gauge */
  resetHint: number; timestamp: number;
}
/** one series with one sample or one histogram (several per request, sorted by time per series) */
export interface TimeSeries { labels: Label[]; samples?: Array<{ value: number; timestamp: number }>; histograms?: NativeHistogram[] }

/** the request body: protobuf, then snappy's block format (not its framing format) */
export function encodeWriteRequest(timeseries: TimeSeries[]): Buffer {
  const WriteRequest = WR();
  const bytes = WriteRequest.encode(WriteRequest.fromObject({ timeseries })).finish();
  return snappy().compressSync(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/** the inverse, for tests */
export function decodeWriteRequest(body: Buffer, uncompress: (b: Buffer) => Buffer): { timeseries: TimeSeries[] } {
  const WriteRequest = WR();
  return WriteRequest.toObject(WriteRequest.decode(uncompress(body)), { longs: Number, defaults: false }) as { timeseries: TimeSeries[] };
}

export const REMOTE_WRITE_HEADERS = {
  'content-encoding': 'snappy',
  'content-type': 'application/x-protobuf',
  'x-prometheus-remote-write-version': '0.1.0',
};
