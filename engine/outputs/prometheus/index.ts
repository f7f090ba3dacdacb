// --out experimental-prometheus-rw[=URL] (k6's name; also prometheus-rw): the run's metrics to
// any Prometheus remote-write receiver (Prometheus with --web.enable-remote-write-receiver,
// Mimir, Thanos, VictoriaMetrics, Grafana Cloud). Configured by k6's K6_PROMETHEUS_RW_*
// variables. The 1-second intervals are gathered into push windows (K6_PROMETHEUS_RW_PUSH_INTERVAL,
// default 5 s); each window becomes one sample per series, stamped at the window's end:
// - counters: `<p>_<name>_total`, cumulative since the start (Prometheus counters);
// - gauges: `<p>_<name>`, the last value;
// - rates: `<p>_<name>_rate`, the share of true samples **in the window**, plus cumulative
//   `_passes_total` and `_samples_total` counters, which add across runners;
// - trends: `<p>_<name>_<stat>` gauges over the samples **in the window** (k6's are since the
//   start), in seconds for time values; or, with K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM,
//   one cumulative native histogram `<p>_<name>_seconds` (`<p>_<name>` for non-time trends),
//   which adds exactly across runners and answers any quantile (docs/OUTPUTS.md).
// Delivery is the retry queue's (../retry-queue.ts): bounded, retried, losses counted.
import { lazyRequire } from '../../../lib/lazy-require.ts';

const undici = lazyRequire<typeof import('undici')>('undici');
import type { Output, RunMeta } from '../types.ts';
import type { MetricDef, SeriesSnap, AggData } from '../../metrics/types.ts';
import { tagsKey } from '../../metrics/types.ts';
import { Sketch } from '../../../lib/stats/sketch.ts';
import { CliError, EXIT } from '../../exitcodes.ts';
import { parseDuration } from '../../../lib/duration.ts';
import { RetryQueue, type SendResult } from '../retry-queue.ts';
import { encodeWriteRequest, REMOTE_WRITE_HEADERS, type TimeSeries, type Label } from './wire.ts';
import { labelsOf, metricName, nativeHistogram, parseTrendStats, type TrendStat } from './mapping.ts';
import { dispatcherForUrl } from '../../../lib/llm/transport.ts';

export interface PromRwConfig {
  url: string;
  prefix: string;
  pushMs: number;
  trendStats: TrendStat[];
  native: boolean;
  headers: Record<string, string>;
  batch: number;
  maxQueue: number;
  retryWindowMs: number;
  requestTimeoutMs: number;
  stopTimeoutMs: number;
}

export const PROMETHEUS_RW_DEFAULT_URL = 'http://localhost:9090/api/v1/write';

export function parsePromRwTarget(name: string, target: string, env: Record<string, string>): PromRwConfig {
  const url = target || env.K6_PROMETHEUS_RW_SERVER_URL || PROMETHEUS_RW_DEFAULT_URL;
  let u: URL;
  try { u = new URL(url); } catch { throw new CliError(`invalid --out ${name}=${url}: expected the remote-write URL, e.g. http://127.0.0.1:9090/api/v1/write`, EXIT.INVALID_CONFIG); }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new CliError(`invalid --out ${name}=${url}: the URL must start with http:// or https://`, EXIT.INVALID_CONFIG);
  const bad = (msg: string) => new CliError(msg, EXIT.INVALID_CONFIG);
  const ms = (v: string | undefined, def: number, n: string) => {
    if (v === undefined || v === '') return def;
    try { return parseDuration(v.trim(), n); } catch (e) { throw bad((e as Error).message); }
  };
  const bool = (v: string | undefined, n: string) => {
    if (v === undefined || v === '') return false;
    if (/^(true|1|yes)$/i.test(v)) return true;
    if (/^(false|0|no)$/i.test(v)) return false;
    throw bad(`invalid ${n} "${v}": use true or false`);
  };
  let trendStats: TrendStat[];
  try { trendStats = parseTrendStats(env.K6_PROMETHEUS_RW_TREND_STATS ?? 'p(50),p(95),p(99)'); } catch (e) { throw bad((e as Error).message); }
  const headers: Record<string, string> = {};
  // K6_PROMETHEUS_RW_HTTP_HEADERS=k1:v1,k2:v2 and K6_PROMETHEUS_RW_HEADERS_<NAME>=value
  for (const kv of (env.K6_PROMETHEUS_RW_HTTP_HEADERS ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
    const i = kv.indexOf(':');
    if (i <= 0) throw bad(`invalid K6_PROMETHEUS_RW_HTTP_HEADERS entry "${kv.split(':')[0]}": use name:value pairs separated by commas`);
    headers[kv.slice(0, i).trim().toLowerCase()] = kv.slice(i + 1).trim();
  }
  for (const [k, v] of Object.entries(env)) if (k.startsWith('K6_PROMETHEUS_RW_HEADERS_') && v) headers[k.slice('K6_PROMETHEUS_RW_HEADERS_'.length).toLowerCase()] = v;
  const user = env.K6_PROMETHEUS_RW_USERNAME, pass = env.K6_PROMETHEUS_RW_PASSWORD, bearer = env.K6_PROMETHEUS_RW_BEARER_TOKEN;
  if (bearer && (user || pass)) throw bad('set either K6_PROMETHEUS_RW_BEARER_TOKEN or K6_PROMETHEUS_RW_USERNAME/PASSWORD, not both');
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  else if (user || pass) headers.authorization = `Basic ${Buffer.from(`${user ?? ''}:${pass ?? ''}`).toString('base64')}`;
  const prefix = env.K6_PROMETHEUS_RW_PREFIX ?? 'k6_';
  if (prefix && !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix)) throw bad(`invalid K6_PROMETHEUS_RW_PREFIX "${prefix}": use letters, digits, _ and :, not starting with a digit (or empty for none)`);
  return {
    url: u.toString(), prefix,
    pushMs: ms(env.K6_PROMETHEUS_RW_PUSH_INTERVAL, 5000, 'K6_PROMETHEUS_RW_PUSH_INTERVAL'),
    trendStats, native: bool(env.K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM, 'K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM'), headers,
    batch: 2000,
    maxQueue: Number(env.PROMETHEUS_RW_MAX_QUEUE ?? 200_000),
    retryWindowMs: ms(env.PROMETHEUS_RW_RETRY_WINDOW, 300_000, 'PROMETHEUS_RW_RETRY_WINDOW'),
    requestTimeoutMs: ms(env.PROMETHEUS_RW_TIMEOUT, 5000, 'PROMETHEUS_RW_TIMEOUT'),
    stopTimeoutMs: ms(env.PROMETHEUS_RW_STOP_TIMEOUT, 5000, 'PROMETHEUS_RW_STOP_TIMEOUT'),
  };
}

interface WindowEntry { name: string; tags: Record<string, string>; agg: AggData; sk?: Sketch }

export class PrometheusRwOutput implements Output {
  readonly name = 'experimental-prometheus-rw';
  private q: RetryQueue<TimeSeries>;
  private window = new Map<string, WindowEntry>();
  private windowEnd = 0;
  private lastTs = 0;
  /** cumulative counter totals, rate passes/samples and native histograms, per series */
  private totals = new Map<string, { labels: Label[]; total: number }>();
  private hists = new Map<string, Sketch>();
  private defs = new Map<string, MetricDef>();
  private meta: Record<string, string> = {};
  private timer: NodeJS.Timeout | null = null;
  private warned = false;
  lastError: string | null = null;

  constructor(private cfg: PromRwConfig) {
    this.q = new RetryQueue<TimeSeries>({ batch: cfg.batch, maxQueue: cfg.maxQueue, flushMs: cfg.pushMs, retryWindowMs: cfg.retryWindowMs, stopTimeoutMs: cfg.stopTimeoutMs }, { send: (ts) => this.send(ts) });
  }

  async start(meta: RunMeta): Promise<void> {
    this.meta = { testid: meta.testid, ...Object.fromEntries(Object.entries(meta.tags).filter(([k]) => k === 'region' || k === 'instance_id')) };
    this.timer = setInterval(() => { this.cut(); void this.q.flush(); }, this.cfg.pushMs);
    this.timer.unref();
  }

  interval(at: number, series: SeriesSnap[], defs: Map<string, MetricDef>): void {
    for (const [k, d] of defs) this.defs.set(k, d);
    this.windowEnd = Math.max(this.windowEnd, at + 1000);
    for (const s of series) {
      const key = s.name + '\x00' + tagsKey(s.tags);
      const w = this.window.get(key);
      const a = s.agg;
      if (!w) {
        const e: WindowEntry = { name: s.name, tags: s.tags, agg: a.t === 'trend' ? a : { ...a } };
        if (a.t === 'trend') e.sk = Sketch.from(a.sk);
        this.window.set(key, e);
        continue;
      }
      const b = w.agg;
      if (a.t === 'counter' && b.t === 'counter') { b.sum += a.sum; b.n += a.n; }
      else if (a.t === 'gauge' && b.t === 'gauge') { b.last = a.last; b.min = Math.min(b.min, a.min); b.max = Math.max(b.max, a.max); }
      else if (a.t === 'rate' && b.t === 'rate') { b.trues += a.trues; b.total += a.total; }
      else if (a.t === 'trend') w.sk!.merge(a.sk);
    }
  }

  /** the window so far → one sample (or histogram) per series, queued */
  private cut(): void {
    if (!this.window.size) return;
    // stamped at the window's end, but never in the future: the run's last interval is cut
    // short by its end, and an instant query right after the run would not see a sample
    // stamped up to a second ahead; strictly after the previous window (samples in order)
    const ts = Math.max(this.lastTs + 1, Math.min(this.windowEnd, Date.now()));
    this.lastTs = ts;
    const p = this.cfg.prefix;
    const out: TimeSeries[] = [];
    const sample = (name: string, tags: Record<string, string>, value: number) => out.push({ labels: labelsOf(name, { ...tags, ...this.meta }), samples: [{ value, timestamp: ts }] });
    for (const [key, w] of this.window) {
      const base = p + metricName(w.name);
      const a = w.agg;
      const time = this.defs.get(w.name)?.contains === 'time';
      if (a.t === 'counter') this.add(`${base}_total`, key, w.tags, a.sum);
      else if (a.t === 'gauge') sample(base, w.tags, a.last);
      else if (a.t === 'rate') {
        if (a.total) sample(`${base}_rate`, w.tags, a.trues / a.total);
        this.add(`${base}_passes_total`, key, w.tags, a.trues);
        this.add(`${base}_samples_total`, key, w.tags, a.total);
      } else {
        const sk = w.sk!;
        const scale = time ? 1 / 1000 : 1;
        if (this.cfg.native) {
          let h = this.hists.get(key);
          if (!h) this.hists.set(key, (h = new Sketch()));
          h.merge(sk);
          out.push({ labels: labelsOf(time ? `${base}_seconds` : base, { ...w.tags, ...this.meta }), histograms: [nativeHistogram(h, scale, ts)] });
        } else if (sk.count) {
          for (const st of this.cfg.trendStats) sample(`${base}_${st.suffix}`, w.tags, st.of(sk) * (st.time ? scale : 1));
        }
      }
    }
    // every counter seen so far, also those with nothing new in this window: a counter is a
    // running total, and rate() over a series with a lone sample per error burst is empty
    for (const c of this.totals.values()) out.push({ labels: c.labels, samples: [{ value: c.total, timestamp: ts }] });
    this.window.clear();
    this.q.push(out);
  }

  private add(name: string, key: string, tags: Record<string, string>, v: number): void {
    const k = name + '\x00' + key;
    const c = this.totals.get(k);
    if (c) c.total += v;
    else this.totals.set(k, { labels: labelsOf(name, { ...tags, ...this.meta }), total: v });
  }

  /** one attempt: 'retry' for a network error, a timeout, 5xx or 429; 'drop' for other 4xx
   *  (Prometheus answers 400 for samples it will never take: out of order, out of bounds) */
  private async send(ts: TimeSeries[]): Promise<SendResult> {
    try {
      const r = await undici().request(this.cfg.url, { dispatcher: dispatcherForUrl(this.cfg.url), method: 'POST', body: encodeWriteRequest(ts), headers: { ...REMOTE_WRITE_HEADERS, 'user-agent': 'llmload', ...this.cfg.headers }, headersTimeout: this.cfg.requestTimeoutMs, bodyTimeout: this.cfg.requestTimeoutMs });
      const text = await r.body.text();
      if (r.statusCode >= 200 && r.statusCode < 300) {
        if (this.warned) { process.stderr.write(`llmload: INFO output ${this.name}: ${this.cfg.url} answers again; sending the queued samples\n`); this.warned = false; }
        return 'ok';
      }
      this.lastError = `HTTP ${r.statusCode}: ${text.trim().slice(0, 200)}`;
      if (r.statusCode >= 400 && r.statusCode < 500 && r.statusCode !== 429 && r.statusCode !== 408) return 'drop';
    } catch (e) {
      this.lastError = `${(e as Error).message}${(e as { code?: string }).code ? ` (${(e as { code?: string }).code})` : ''}`;
    }
    if (!this.warned) {
      this.warned = true;
      process.stderr.write(`llmload: WARN output ${this.name}: ${this.cfg.url} is not taking samples (${this.lastError}); the run goes on, samples are queued (up to ${this.cfg.maxQueue} series, ${this.cfg.retryWindowMs / 1000} s) and sent once it answers\n`);
    }
    return 'retry';
  }

  async stop(): Promise<Record<string, unknown>> {
    if (this.timer) clearInterval(this.timer);
    this.cut();
    const c = await this.q.stop();
    return { url: this.cfg.url, native_histograms: this.cfg.native, ...c, ...(this.lastError ? { last_error: this.lastError } : {}) };
  }
}
