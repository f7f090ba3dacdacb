// Where each record of a dataset file starts and ends, found by streaming the file once in
// 1 MiB reads (never the whole file in memory), every record parsed once to validate it. The
// index (two float64 per record) is cached beside the system's temp files, keyed by the file's
// path, size and mtime: the first thread that opens a dataset (the main thread, at init, before
// any request) builds and checks it; every thread then reads an entry of the index file and the
// record it points to with two preads when it needs one — no thread holds the index or the file
// in memory, so a run holds one copy of both: the page cache's.
import { closeSync, existsSync, openSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordError, type Format } from './formats/types.ts';

export class DatasetError extends Error { readonly exitCode = 104; }

const CHUNK = 1 << 20;

export interface FileIndex { /** the index file, open for reading */ fd: number; count: number }

export function indexFile(path: string, format: Format): FileIndex {
  let st;
  try { st = statSync(path); } catch (e) { throw new DatasetError(`dataset ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`); }
  const key = createHash('sha1').update(`${path}\n${st.size}\n${st.mtimeMs}\n${format.name}\nv1`).digest('hex').slice(0, 20);
  const cache = join(tmpdir(), `llmload-dataset-${key}.idx`);
  if (!existsSync(cache)) {
    const offsets = format.layout === 'lines' ? scanLines(path, format) : scanJsonArray(path, format);
    if (offsets.length === 0) throw new DatasetError(`dataset ${path} has no records (format ${format.name}): give a file with at least one`);
    const tmp = `${cache}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    writeFileSync(tmp, Buffer.from(Float64Array.from(offsets).buffer));
    renameSync(tmp, cache);
  }
  return { fd: openSync(cache, 'r'), count: statSync(cache).size / 16 };
}

function check(format: Format, text: string, path: string, where: string): void {
  try { format.parse(text); } catch (e) {
    if (e instanceof RecordError) throw new DatasetError(`dataset ${path}:${where}: ${e.message} (format ${format.name})`);
    throw e;
  }
}

function scanLines(path: string, format: Format): number[] {
  const fd = openSync(path, 'r');
  const out: number[] = [];
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let pos = 0, lineStart = 0, line = 1;
    let carry: Buffer[] = [];
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, pos);
      if (n === 0) break;
      let p = 0;
      for (;;) {
        const lf = buf.indexOf(10, p);
        if (lf < 0 || lf >= n) { carry.push(Buffer.from(buf.subarray(p, n))); break; }
        const bytes = carry.length ? Buffer.concat([...carry, buf.subarray(p, lf)]) : buf.subarray(p, lf);
        carry = [];
        record(bytes, lineStart, pos + lf);
        lineStart = pos + lf + 1;
        line++;
        p = lf + 1;
      }
      pos += n;
    }
    if (carry.length) record(Buffer.concat(carry), lineStart, pos);
    return out;
    function record(bytes: Buffer, start: number, end: number): void {
      let e = bytes.length;
      if (e > 0 && bytes[e - 1] === 13) e--; // CRLF
      const text = bytes.toString('utf8', 0, e);
      if (!text.trim()) return; // blank lines are skipped
      check(format, text, path, String(line));
      out.push(start, start + Buffer.byteLength(text));
      void end;
    }
  } finally { closeSync(fd); }
}

function scanJsonArray(path: string, format: Format): number[] {
  const fd = openSync(path, 'r');
  const out: number[] = [];
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let pos = 0, depth = 0, inStr = false, esc = false, started = false, start = -1, line = 1, startLine = 1, element = 0;
    let parts: Buffer[] = [];
    let partFrom = -1;
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, pos);
      if (n === 0) break;
      partFrom = start >= 0 ? 0 : -1;
      for (let i = 0; i < n; i++) {
        const c = buf[i]!;
        if (c === 10) line++;
        if (inStr) { if (esc) esc = false; else if (c === 92) esc = true; else if (c === 34) inStr = false; continue; }
        if (c === 34) { inStr = true; continue; }
        if (c === 32 || c === 9 || c === 10 || c === 13) continue;
        if (!started) {
          if (c !== 91) throw new DatasetError(`dataset ${path}:${line}: a ShareGPT file is one JSON array ([ … ]); this one starts with ${JSON.stringify(String.fromCharCode(c))}`);
          started = true; depth = 1; continue;
        }
        if (c === 123 || c === 91) {
          if (depth === 1) { start = pos + i; startLine = line; partFrom = i; parts = []; }
          depth++;
        } else if (c === 125 || c === 93) {
          depth--;
          if (depth === 1 && start >= 0) {
            parts.push(buf.subarray(partFrom, i + 1));
            element++;
            check(format, Buffer.concat(parts).toString('utf8'), path, `${startLine} (element ${element})`);
            out.push(start, pos + i + 1);
            start = -1; partFrom = -1; parts = [];
          } else if (depth === 0) return out;
        } else if (depth === 1 && c !== 44) {
          throw new DatasetError(`dataset ${path}:${line}: expected an object in the array, found ${JSON.stringify(String.fromCharCode(c))}`);
        }
      }
      if (start >= 0 && partFrom >= 0) parts.push(Buffer.from(buf.subarray(partFrom, n)));
      pos += n;
    }
    if (!started) return out;
    throw new DatasetError(`dataset ${path}: the JSON array is not closed (the file ends inside it)`);
  } finally { closeSync(fd); }
}

const entry = new Float64Array(2);
const entryBytes = new Uint8Array(entry.buffer);
/** record i's bytes: its index entry, then the record, one pread each */
export function readRecord(fd: number, idx: FileIndex, i: number): string {
  readSync(idx.fd, entryBytes, 0, 16, 16 * i);
  const s = entry[0]!, e = entry[1]!;
  const b = Buffer.allocUnsafe(e - s);
  let got = 0;
  while (got < b.length) { const n = readSync(fd, b, got, b.length - got, s + got); if (n === 0) break; got += n; }
  return b.toString('utf8', 0, got);
}

/** the longest record's byte length (one pass over the index file) */
export function recordBytesMax(idx: FileIndex): number {
  const buf = Buffer.allocUnsafe(Math.min(idx.count, 65536) * 16);
  let max = 0;
  for (let at = 0; at < idx.count; at += 65536) {
    const k = Math.min(65536, idx.count - at);
    readSync(idx.fd, buf, 0, k * 16, at * 16);
    const f = new Float64Array(buf.buffer, buf.byteOffset, k * 2);
    for (let i = 0; i < k; i++) max = Math.max(max, f[2 * i + 1]! - f[2 * i]!);
  }
  return max;
}
