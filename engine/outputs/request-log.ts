// The per-request log: requests.ndjson.gz in the results folder, one JSON line per LLM call
// (lib/llm/types.ts RequestRecord). Each thread that records calls writes its own gzip file
// under .requests/ (no cross-thread traffic per request); at the end the main thread joins
// them into one file: concatenated gzip members are one valid gzip stream (RFC 1952 §2.2), so
// the join is a byte copy. Cost: the records of one second are held, then compressed.
import { createGzip, type Gzip } from 'node:zlib';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, rmSync, appendFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestRecord } from '../../lib/llm/types.ts';

export const REQUEST_LOG = 'requests.ndjson.gz';
const PARTS = '.requests';

export class RequestLogWriter {
  private buf: string[] = [];
  private gz: Gzip;
  private done: Promise<void>;
  count = 0;
  constructor(resultsDir: string, part: string) {
    mkdirSync(join(resultsDir, PARTS), { recursive: true });
    this.gz = createGzip({ level: 6 });
    const out = createWriteStream(join(resultsDir, PARTS, `${part}.ndjson.gz`));
    this.gz.pipe(out);
    this.done = new Promise((res, rej) => { out.on('finish', () => res()); out.on('error', rej); });
  }
  add(r: RequestRecord): void { this.buf.push(JSON.stringify(r)); this.count++; }
  /** hands the held records to the compressor (called once per interval) */
  flush(): void {
    if (!this.buf.length) return;
    this.gz.write(this.buf.join('\n') + '\n');
    this.buf = [];
  }
  async close(): Promise<void> { this.flush(); this.gz.end(); await this.done; }
}

/** Joins every thread's part into requests.ndjson.gz; returns its path (null when no part). */
export function joinRequestLog(resultsDir: string): string | null {
  const dir = join(resultsDir, PARTS);
  if (!existsSync(dir)) return null;
  const target = join(resultsDir, REQUEST_LOG);
  writeFileSync(target, Buffer.alloc(0));
  for (const f of readdirSync(dir).sort()) appendFileSync(target, readFileSync(join(dir, f)));
  rmSync(dir, { recursive: true, force: true });
  return target;
}
