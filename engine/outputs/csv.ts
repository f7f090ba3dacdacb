// --out csv=FILE (gzip when FILE ends in .gz): k6's CSV columns — metric_name, timestamp,
// metric_value, then k6's fixed tag columns, extra_tags (other tags as k=v&k=v) and metadata.
// k6 writes a row per raw sample; the workers hand us 1-second aggregates, so a row is one
// series' interval (docs/OUTPUTS.md): counters carry the interval's sum (summing the rows gives
// the total, as summing k6's per-sample rows does), gauges the last value, rates the share of
// true samples with `passes=…&total=…` in metadata, trends the mean with count, min, med,
// p(90), p(95), p(99), max and sum in metadata. K6_CSV_TIME_FORMAT: unix (default, seconds),
// unix_milli, unix_micro, unix_nano, rfc3339, rfc3339_nano.
import { createWriteStream, type WriteStream } from 'node:fs';
import { createGzip, type Gzip } from 'node:zlib';
import type { Output, RunMeta } from './types.ts';
import type { MetricDef, SeriesSnap } from '../metrics/types.ts';
import { Sketch } from '../../lib/stats/sketch.ts';
import { CliError, EXIT } from '../exitcodes.ts';

/** k6's tag columns, in its order */
export const CSV_TAG_COLUMNS = ['check', 'error', 'error_code', 'expected_response', 'group', 'method', 'name', 'proto', 'scenario', 'service', 'status', 'subproto', 'tls_version', 'url'] as const;
export const CSV_HEADER = ['metric_name', 'timestamp', 'metric_value', ...CSV_TAG_COLUMNS, 'extra_tags', 'metadata'];
const FIXED = new Set<string>(CSV_TAG_COLUMNS);
const TIME_FORMATS = ['unix', 'unix_milli', 'unix_micro', 'unix_nano', 'rfc3339', 'rfc3339_nano'] as const;
type TimeFormat = typeof TIME_FORMATS[number];

export function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function stamp(ms: number, f: TimeFormat): string {
  switch (f) {
    case 'unix': return String(Math.floor(ms / 1000));
    case 'unix_milli': return String(ms);
    case 'unix_micro': return `${ms}000`;
    case 'unix_nano': return `${ms}000000`;
    case 'rfc3339': return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    case 'rfc3339_nano': return new Date(ms).toISOString();
  }
}

const kv = (o: Record<string, string | number>) => Object.entries(o).map(([k, v]) => `${k}=${v}`).join('&');
const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

export function parseCsvTarget(target: string, env: Record<string, string>): { file: string; timeFormat: TimeFormat } {
  const file = target || env.K6_CSV_FILENAME || '';
  if (!file) throw new CliError('--out csv needs a file: e.g. --out csv=results.csv (or results.csv.gz)', EXIT.INVALID_CONFIG);
  const tf = (env.K6_CSV_TIME_FORMAT || 'unix') as TimeFormat;
  if (!TIME_FORMATS.includes(tf)) throw new CliError(`invalid K6_CSV_TIME_FORMAT "${tf}": valid formats are ${TIME_FORMATS.join(', ')}`, EXIT.INVALID_CONFIG);
  return { file, timeFormat: tf };
}

export class CsvOutput implements Output {
  readonly name = 'csv';
  private ws!: WriteStream;
  private gz: Gzip | null = null;
  private rows = 0;
  private meta: Record<string, string> = {};
  constructor(private cfg: { file: string; timeFormat: TimeFormat }) {}

  private write(s: string): void { if (this.gz) this.gz.write(s); else this.ws.write(s); }

  async start(meta: RunMeta): Promise<void> {
    this.ws = createWriteStream(this.cfg.file);
    await new Promise<void>((res, rej) => { this.ws.once('open', () => res()); this.ws.once('error', rej); });
    if (this.cfg.file.endsWith('.gz')) { this.gz = createGzip(); this.gz.pipe(this.ws); }
    this.meta = Object.fromEntries(Object.entries(meta.tags).filter(([k]) => k === 'region' || k === 'instance_id'));
    this.write(CSV_HEADER.join(',') + '\n');
  }

  interval(at: number, series: SeriesSnap[], _defs: Map<string, MetricDef>): void {
    const ts = stamp(at + 1000, this.cfg.timeFormat);
    let buf = '';
    for (const s of series) {
      const a = s.agg;
      let value: number;
      let md = '';
      if (a.t === 'counter') value = a.sum;
      else if (a.t === 'gauge') value = a.last;
      else if (a.t === 'rate') { value = a.total ? a.trues / a.total : 0; md = kv({ passes: a.trues, total: a.total }); }
      else {
        const sk = Sketch.from(a.sk);
        value = sk.avg;
        md = kv({ count: sk.count, min: r6(sk.min), med: r6(sk.quantile(0.5)), 'p(90)': r6(sk.quantile(0.9)), 'p(95)': r6(sk.quantile(0.95)), 'p(99)': r6(sk.quantile(0.99)), max: r6(sk.max), sum: r6(sk.sum) });
      }
      const tags = { ...s.tags, ...this.meta };
      const extra: Record<string, string> = {};
      for (const [k, v] of Object.entries(tags)) if (!FIXED.has(k)) extra[k] = v;
      const cols = [s.name, ts, String(r6(value)), ...CSV_TAG_COLUMNS.map((c) => tags[c] ?? ''), kv(extra), md];
      buf += cols.map(csvField).join(',') + '\n';
      this.rows++;
    }
    if (buf) this.write(buf);
  }

  async stop(): Promise<Record<string, unknown>> {
    // the file is complete when the file stream finishes (the gzip stream ends it when piped)
    const done = new Promise<void>((res) => this.ws.once('finish', () => res()));
    if (this.gz) this.gz.end(); else this.ws.end();
    await done;
    return { file: this.cfg.file, rows: this.rows };
  }
}
