// --out influxdb=http://host:8086/DB (v1 /write: InfluxDB 1.x, 2.x compat, 3.x) and
// --out influxdb2=http://host:8086 (v2 /api/v2/write; INFLUX_ORG, INFLUX_BUCKET, INFLUX_TOKEN).
// Off the hot path: the main thread queues lines per interval; a flusher sends gzip batches
// by size or every second, retries with backoff, and counts what it had to drop. InfluxDB
// down or slow never stops the run; losses are reported in the summary.
import { gzipSync } from 'node:zlib';
import { request } from 'undici';
import type { Output, RunMeta } from '../types.ts';
import type { MetricDef, SeriesSnap } from '../../metrics/types.ts';
import { toLines } from './line-protocol.ts';
import { CliError, EXIT } from '../../exitcodes.ts';

export interface InfluxConfig { kind: 'v1' | 'v2'; base: string; db?: string; org?: string; bucket?: string; token?: string; batchLines: number; maxQueue: number; flushMs: number; retries: number }

export function parseInfluxTarget(kind: 'influxdb' | 'influxdb2', target: string, env: Record<string, string>): InfluxConfig {
  let u: URL;
  try { u = new URL(target); } catch { throw new CliError(`invalid --out ${kind}=${target}: expected a URL like ${kind === 'influxdb' ? 'http://127.0.0.1:8086/llmload' : 'http://127.0.0.1:8086 (with INFLUX_ORG, INFLUX_BUCKET, INFLUX_TOKEN set)'}`, EXIT.INVALID_CONFIG); }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new CliError(`invalid --out ${kind}=${target}: the URL must start with http:// or https://`, EXIT.INVALID_CONFIG);
  const common = { batchLines: 5000, maxQueue: 200_000, flushMs: 1000, retries: 4 };
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
  private queue: string[] = [];
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> | null = null;
  private tags: Record<string, string> = {};
  private healthy = true;
  written = 0;
  lost = 0;
  batches = 0;
  failedBatches = 0;
  lastError: string | null = null;
  constructor(private cfg: InfluxConfig) {
    this.name = cfg.kind === 'v1' ? 'influxdb' : 'influxdb2';
  }

  private writeUrl(): string {
    return this.cfg.kind === 'v1'
      ? `${this.cfg.base}/write?db=${encodeURIComponent(this.cfg.db!)}&precision=ms`
      : `${this.cfg.base}/api/v2/write?org=${encodeURIComponent(this.cfg.org!)}&bucket=${encodeURIComponent(this.cfg.bucket!)}&precision=ms`;
  }
  private authHeaders(): Record<string, string> {
    return this.cfg.kind === 'v2' ? { authorization: `Token ${this.cfg.token}` } : {};
  }

  async start(meta: RunMeta): Promise<void> {
    this.tags = { testid: meta.testid, ...Object.fromEntries(Object.entries(meta.tags).filter(([k]) => k === 'region')) };
    try {
      const ping = await request(`${this.cfg.base}/ping`, { method: 'GET', headersTimeout: 3000, bodyTimeout: 3000 });
      await ping.body.dump();
      if (this.cfg.kind === 'v1') {
        // creates the database when missing (idempotent in InfluxQL)
        const q = await request(`${this.cfg.base}/query`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `q=${encodeURIComponent(`CREATE DATABASE "${this.cfg.db}"`)}`, headersTimeout: 5000, bodyTimeout: 5000 });
        const text = await q.body.text();
        if (q.statusCode >= 300 || /"error"/.test(text)) throw new Error(`cannot create database "${this.cfg.db}": ${text.trim().slice(0, 200)}`);
      }
    } catch (e) {
      // never hide the run's own results behind a broken output: warn once, keep running,
      // count every point as lost
      this.healthy = false;
      this.lastError = `${(e as Error).message}${(e as { code?: string }).code ? ` (${(e as { code?: string }).code})` : ''}`;
      process.stderr.write(`llmload: WARN output ${this.name}: InfluxDB at ${this.cfg.base} is not usable (${this.lastError}); the run goes on and its points are counted as lost\n`);
    }
    this.timer = setInterval(() => { void this.flush(); }, this.cfg.flushMs);
    this.timer.unref();
  }

  interval(at: number, series: SeriesSnap[], _defs: Map<string, MetricDef>): void {
    const lines = toLines(series, at, this.tags);
    if (!this.healthy) { this.lost += lines.length; return; }
    this.queue.push(...lines);
    // bounded queue: drop the oldest when InfluxDB cannot keep up
    const over = this.queue.length - this.cfg.maxQueue;
    if (over > 0) { this.queue.splice(0, over); this.lost += over; }
    if (this.queue.length >= this.cfg.batchLines) void this.flush();
  }

  private flush(): Promise<void> {
    if (this.sending) return this.sending;
    if (this.queue.length === 0) return Promise.resolve();
    this.sending = (async () => {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.cfg.batchLines);
        const ok = await this.send(batch);
        if (ok) this.written += batch.length; else { this.lost += batch.length; this.failedBatches++; }
      }
    })().finally(() => { this.sending = null; });
    return this.sending;
  }

  private async send(lines: string[]): Promise<boolean> {
    const body = gzipSync(lines.join('\n'));
    this.batches++;
    for (let attempt = 0; attempt <= this.cfg.retries; attempt++) {
      try {
        const r = await request(this.writeUrl(), { method: 'POST', body, headers: { 'content-encoding': 'gzip', 'content-type': 'text/plain; charset=utf-8', ...this.authHeaders() }, headersTimeout: 5000, bodyTimeout: 5000 });
        const text = await r.body.text();
        if (r.statusCode === 204 || r.statusCode === 200) return true;
        this.lastError = `HTTP ${r.statusCode}: ${text.trim().slice(0, 200)}`;
        if (r.statusCode < 500 && r.statusCode !== 429) return false; // a bad request will not improve
      } catch (e) {
        this.lastError = `${(e as Error).message}${(e as { code?: string }).code ? ` (${(e as { code?: string }).code})` : ''}`;
      }
      if (attempt < this.cfg.retries) await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2)));
    }
    return false;
  }

  async stop(): Promise<Record<string, unknown>> {
    if (this.timer) clearInterval(this.timer);
    // the final flush is awaited, but bounded: a dead InfluxDB must not hold the exit
    await Promise.race([this.flush(), new Promise((r) => setTimeout(r, 15_000).unref())]);
    if (this.queue.length) { this.lost += this.queue.length; this.queue = []; }
    return { url: this.cfg.base, db: this.cfg.db ?? this.cfg.bucket, written: this.written, lost: this.lost, batches: this.batches, failed_batches: this.failedBatches, ...(this.lastError ? { last_error: this.lastError } : {}) };
  }
}
