// --out influxdb=http://host:8086/DB (v1 /write: InfluxDB 1.x, 2.x compat, 3.x) and
// --out influxdb2=http://host:8086 (v2 /api/v2/write; INFLUX_ORG, INFLUX_BUCKET, INFLUX_TOKEN).
// Off the hot path: the main thread queues lines per interval; the retry queue
// (../retry-queue.ts) sends gzip batches by size or every second, retries, and counts what it
// had to drop. InfluxDB down or slow never stops the run; losses are reported in the summary.
import { gzipSync } from 'node:zlib';
import { lazyRequire } from '../../../lib/lazy-require.ts';

const undici = lazyRequire<typeof import('undici')>('undici');
import type { Output, RunMeta } from '../types.ts';
import type { MetricDef, SeriesSnap } from '../../metrics/types.ts';
import { toLines } from './line-protocol.ts';
import { CliError, EXIT } from '../../exitcodes.ts';
import { parseDuration } from '../../../lib/duration.ts';
import { RetryQueue, type SendResult } from '../retry-queue.ts';
import { dispatcherForUrl } from '../../../lib/llm/transport.ts';

export interface InfluxConfig {
  kind: 'v1' | 'v2'; base: string; db?: string; org?: string; bucket?: string; token?: string;
  batchLines: number;
  /** queued lines kept while InfluxDB is away; past it the oldest are lost */
  maxQueue: number;
  flushMs: number;
  /** how long a point may wait for InfluxDB before it is given up as lost */
  retryWindowMs: number;
  /** per request (ping, write) */
  requestTimeoutMs: number;
  /** the final flush at the end of the run gives up after this long */
  stopTimeoutMs: number;
}

export function parseInfluxTarget(kind: 'influxdb' | 'influxdb2', target: string, env: Record<string, string>): InfluxConfig {
  let u: URL;
  try { u = new URL(target); } catch { throw new CliError(`invalid --out ${kind}=${target}: expected a URL like ${kind === 'influxdb' ? 'http://127.0.0.1:8086/llmload' : 'http://127.0.0.1:8086 (with INFLUX_ORG, INFLUX_BUCKET, INFLUX_TOKEN set)'}`, EXIT.INVALID_CONFIG); }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new CliError(`invalid --out ${kind}=${target}: the URL must start with http:// or https://`, EXIT.INVALID_CONFIG);
  // K6_INFLUXDB_PUSH_INTERVAL as in k6; the queue bounds are ours (docs/FAULTS.md)
  const ms = (v: string | undefined, def: number, name: string) => {
    if (v === undefined || v === '') return def;
    try { return parseDuration(v.trim(), name); } catch (e) { throw new CliError((e as Error).message, EXIT.INVALID_CONFIG); }
  };
  const int = (v: string | undefined, def: number, name: string) => {
    if (v === undefined || v === '') return def;
    if (!/^\d+$/.test(v)) throw new CliError(`invalid ${name} "${v}": expected a whole number of lines`, EXIT.INVALID_CONFIG);
    return Number(v);
  };
  const common = {
    batchLines: 5000,
    maxQueue: int(env.INFLUX_MAX_QUEUE, 200_000, 'INFLUX_MAX_QUEUE'),
    flushMs: ms(env.K6_INFLUXDB_PUSH_INTERVAL, 1000, 'K6_INFLUXDB_PUSH_INTERVAL'),
    retryWindowMs: ms(env.INFLUX_RETRY_WINDOW, 300_000, 'INFLUX_RETRY_WINDOW'),
    requestTimeoutMs: ms(env.INFLUX_TIMEOUT, 5000, 'INFLUX_TIMEOUT'),
    stopTimeoutMs: ms(env.INFLUX_STOP_TIMEOUT, 5000, 'INFLUX_STOP_TIMEOUT'),
  };
  if (kind === 'influxdb') {
    const db = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, '')) || 'llmload';
    if (!/^[A-Za-z0-9_.\-]+$/.test(db)) throw new CliError(`invalid InfluxDB database name "${db}" in --out influxdb=${target}: use letters, digits, _, - and . (e.g. http://127.0.0.1:8086/llmload)`, EXIT.INVALID_CONFIG);
    return { kind: 'v1', base: `${u.protocol}//${u.host}`, db, ...common };
  }
  const org = env.INFLUX_ORG ?? env.K6_INFLUXDB_ORGANIZATION;
  const bucket = env.INFLUX_BUCKET ?? env.K6_INFLUXDB_BUCKET;
  const token = env.INFLUX_TOKEN ?? env.K6_INFLUXDB_TOKEN;
  const missing = [!org && 'INFLUX_ORG', !bucket && 'INFLUX_BUCKET', !token && 'INFLUX_TOKEN'].filter(Boolean);
  if (missing.length) throw new CliError(`--out influxdb2 needs ${missing.join(', ')} set in the environment`, EXIT.INVALID_CONFIG);
  return { kind: 'v2', base: `${u.protocol}//${u.host}`, org, bucket, token, ...common };
}

export class InfluxOutput implements Output {
  readonly name: string;
  private tags: Record<string, string> = {};
  private warned = false;
  private q: RetryQueue<string>;
  lastError: string | null = null;
  constructor(private cfg: InfluxConfig, now: () => number = Date.now) {
    this.name = cfg.kind === 'v1' ? 'influxdb' : 'influxdb2';
    this.q = new RetryQueue<string>({ batch: cfg.batchLines, maxQueue: cfg.maxQueue, flushMs: cfg.flushMs, retryWindowMs: cfg.retryWindowMs, stopTimeoutMs: cfg.stopTimeoutMs }, { send: (lines) => this.send(lines), connect: () => this.connect() }, now);
  }

  private writeUrl(): string {
    return this.cfg.kind === 'v1'
      ? `${this.cfg.base}/write?db=${encodeURIComponent(this.cfg.db!)}&precision=ms`
      : `${this.cfg.base}/api/v2/write?org=${encodeURIComponent(this.cfg.org!)}&bucket=${encodeURIComponent(this.cfg.bucket!)}&precision=ms`;
  }
  private authHeaders(): Record<string, string> {
    return this.cfg.kind === 'v2' ? { authorization: `Token ${this.cfg.token}` } : {};
  }

  private errText(e: unknown): string {
    return `${(e as Error).message}${(e as { code?: string }).code ? ` (${(e as { code?: string }).code})` : ''}`;
  }

  /** ping, and create the v1 database when missing (idempotent in InfluxQL) */
  private async connect(): Promise<boolean> {
    try {
      const ping = await undici().request(`${this.cfg.base}/ping`, { dispatcher: dispatcherForUrl(`${this.cfg.base}/ping`), method: 'GET', headersTimeout: this.cfg.requestTimeoutMs, bodyTimeout: this.cfg.requestTimeoutMs });
      await ping.body.dump();
      if (this.cfg.kind === 'v1') {
        const q = await undici().request(`${this.cfg.base}/query`, { dispatcher: dispatcherForUrl(`${this.cfg.base}/query`), method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `q=${encodeURIComponent(`CREATE DATABASE "${this.cfg.db}"`)}`, headersTimeout: this.cfg.requestTimeoutMs, bodyTimeout: this.cfg.requestTimeoutMs });
        const text = await q.body.text();
        if (q.statusCode >= 300 || /"error"/.test(text)) throw new Error(`cannot create database "${this.cfg.db}": ${text.trim().slice(0, 200)}`);
      }
      if (this.warned) process.stderr.write(`llmload: INFO output ${this.name}: InfluxDB at ${this.cfg.base} is reachable again; sending the queued points\n`);
      return true;
    } catch (e) {
      this.lastError = this.errText(e);
      if (!this.warned) {
        this.warned = true;
        process.stderr.write(`llmload: WARN output ${this.name}: InfluxDB at ${this.cfg.base} is not reachable (${this.lastError}); the run goes on, points are queued (up to ${this.cfg.maxQueue} lines, ${this.cfg.retryWindowMs / 1000} s) and sent once it answers\n`);
      }
      return false;
    }
  }

  async start(meta: RunMeta): Promise<void> {
    this.tags = { testid: meta.testid, ...Object.fromEntries(Object.entries(meta.tags).filter(([k]) => k === 'region' || k === 'instance_id')) };
    // an InfluxDB that is down now may come up during the run: nothing is given up here
    this.q.ready = await this.connect();
    this.q.start();
  }

  interval(at: number, series: SeriesSnap[], _defs: Map<string, MetricDef>): void {
    this.q.push(toLines(series, at, this.tags));
  }

  /** one attempt: 'retry' for a network error, a timeout, 5xx or 429; 'drop' for other 4xx */
  private async send(lines: string[]): Promise<SendResult> {
    const body = gzipSync(lines.join('\n'));
    try {
      const r = await undici().request(this.writeUrl(), { dispatcher: dispatcherForUrl(this.writeUrl()), method: 'POST', body, headers: { 'content-encoding': 'gzip', 'content-type': 'text/plain; charset=utf-8', ...this.authHeaders() }, headersTimeout: this.cfg.requestTimeoutMs, bodyTimeout: this.cfg.requestTimeoutMs });
      const text = await r.body.text();
      if (r.statusCode === 204 || r.statusCode === 200) return 'ok';
      this.lastError = `HTTP ${r.statusCode}: ${text.trim().slice(0, 200)}`;
      // an InfluxDB that came back empty (a new instance) has lost the database: create it
      // again on the next cycle and resend
      if (r.statusCode === 404 && /database not found/.test(text)) { this.q.ready = false; return 'retry'; }
      // a bad request will not improve by sending it again
      return r.statusCode >= 400 && r.statusCode < 500 && r.statusCode !== 429 && r.statusCode !== 408 ? 'drop' : 'retry';
    } catch (e) {
      this.lastError = this.errText(e);
      return 'retry';
    }
  }

  async stop(): Promise<Record<string, unknown>> {
    const c = await this.q.stop();
    return { url: this.cfg.base, db: this.cfg.db ?? this.cfg.bucket, ...c, ...(this.lastError ? { last_error: this.lastError } : {}) };
  }
}
