// InfluxDB line protocol (https://docs.influxdata.com/influxdb/v1/write_protocols/line_protocol_reference/):
// one point per metric series per 1-second interval, measurement = metric name as k6 does,
// with the interval's aggregate as fields. Pure functions.
import type { SeriesSnap, Tags } from '../../metrics/types.ts';
import { Sketch } from '../../../lib/stats/sketch.ts';

/** Tags kept on points: low cardinality only (no request ids, URLs or keys). docs/METRICS.md */
export const TAG_ALLOWLIST = new Set(['testid', 'scenario', 'provider', 'model', 'status', 'error_kind', 'region', 'stream', 'group', 'check', 'tokens']);

// tag keys and values: comma, equals and space are escaped with a backslash; line protocol has
// no escape for a newline, so CR and LF become spaces (a point never spans two lines)
const escKey = (s: string) => s.replace(/[\r\n]/g, ' ').replace(/[,= ]/g, (c) => '\\' + c);
const escMeasurement = (s: string) => s.replace(/[\r\n]/g, ' ').replace(/[, ]/g, (c) => '\\' + c);
const num = (v: number) => (Number.isFinite(v) ? String(+v.toPrecision(12)) : '0');

export function tagString(tags: Tags, extra: Tags): string {
  const all: Tags = { ...extra };
  for (const k in tags) if (TAG_ALLOWLIST.has(k) && tags[k] !== '') all[k] = tags[k]!;
  return Object.keys(all).sort().map((k) => `,${escKey(k)}=${escKey(all[k]!)}`).join('');
}

/** Fields for one interval aggregate. `value` is always present (k6 layout). */
export function fields(s: SeriesSnap): string {
  const a = s.agg;
  switch (a.t) {
    case 'counter': return `value=${num(a.sum)}`;
    case 'gauge': return `value=${num(a.last)}`;
    case 'rate': return `value=${num(a.total ? a.trues / a.total : 0)},passes=${num(a.trues)},total=${num(a.total)}`;
    case 'trend': {
      const sk = Sketch.from(a.sk);
      return `value=${num(sk.avg)},count=${num(sk.count)},min=${num(sk.min)},max=${num(sk.max)},p50=${num(sk.quantile(0.5))},p90=${num(sk.quantile(0.9))},p95=${num(sk.quantile(0.95))},p99=${num(sk.quantile(0.99))}`;
    }
  }
}

export function toLines(series: SeriesSnap[], atMs: number, extraTags: Tags): string[] {
  return series.map((s) => `${escMeasurement(s.name)}${tagString(s.tags, extraTags)} ${fields(s)} ${Math.round(atMs)}`);
}
