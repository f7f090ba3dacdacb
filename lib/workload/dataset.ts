// Prompts from a dataset file (docs/WORKLOADS.md): OpenAI chat JSONL, OpenAI Batch input,
// ShareGPT JSON or plain text. Read in order or shuffled with a seed, across the whole run (a
// shared cursor: record i goes to exactly one request, whichever thread sends it); sampled to
// N; filtered by input tokens; looped or stopped when exhausted. The file is indexed once and
// read by offset (lib/workload/file-index.ts), never loaded whole into a VU thread.
import { closeSync, openSync, readSync } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';
import { runtime } from '../runtime.ts';
import { prng } from '../random.ts';
import { countTokensSync } from '../llm/tokens.ts';
import { DatasetError, indexFile, readRecord, recordBytesMax, type FileIndex } from './file-index.ts';
import { sharedCounter } from './cursors.ts';
import { chatJsonl } from './formats/chat-jsonl.ts';
import { batch } from './formats/batch.ts';
import { sharegpt } from './formats/sharegpt.ts';
import { text } from './formats/text.ts';
import type { DatasetRecord, Format } from './formats/types.ts';

export { DatasetError };
export type { DatasetRecord };

export const FORMATS: Record<string, Format> = { 'chat-jsonl': chatJsonl, batch, sharegpt, text };

export interface DatasetOptions {
  /** chat-jsonl | batch | sharegpt | text; default from the extension (.jsonl: chat-jsonl, or
   *  batch when the first line has custom_id; .json: sharegpt; .txt: text) */
  format?: string;
  /** sequential (default) or shuffle (a seeded permutation, the same in every thread) */
  order?: 'sequential' | 'shuffle';
  seed?: number;
  /** use only the first N records (after shuffling) */
  sample?: number;
  /** at the end: loop (default) or stop (next() returns null) */
  onExhausted?: 'loop' | 'stop';
  /** keep records whose prompt has this many tokens (in `model`'s tokenizer) */
  inputTokens?: { min?: number; max?: number };
  /** the tokenizer family for counting (lib/llm/tokens.ts); default gpt-4.1 (o200k) */
  model?: string;
}

export interface DatasetItem extends DatasetRecord {
  /** the record's position in the file (0-based) */
  index: number;
  /** the output length to ask for: the record's max_tokens, or the reference answer's tokens */
  outputTokens?: number;
}

function detect(path: string, fd: number): Format {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return sharegpt;
  if (ext === '.txt' || ext === '.text') return text;
  if (ext === '.jsonl' || ext === '.ndjson') {
    const b = Buffer.alloc(4096);
    const n = readSync(fd, b, 0, b.length, 0);
    const first = b.toString('utf8', 0, n).split('\n').find((l) => l.trim()) ?? '';
    return /"custom_id"\s*:/.test(first) ? batch : chatJsonl;
  }
  throw new DatasetError(`dataset ${path}: unknown format (extension "${ext || 'none'}"): give format: ${Object.keys(FORMATS).join(' | ')}`);
}

/** A dataset: next() gives the next record for this request, or null once a `stop` dataset is
 *  exhausted. Open it in the init context (top of the script), so a bad file fails before any
 *  request. */
export function dataset(file: string, opts: DatasetOptions = {}): { readonly size: number; readonly format: string; maxRecordBytes(): number; next(): DatasetItem | null } {
  const rt = runtime();
  const path = isAbsolute(file) ? file : resolve(rt.scriptDir ?? process.cwd(), file);
  if (opts.format !== undefined && !FORMATS[opts.format]) throw new DatasetError(`dataset ${file}: unknown format "${opts.format}": valid are ${Object.keys(FORMATS).join(', ')}`);
  if (opts.order !== undefined && opts.order !== 'sequential' && opts.order !== 'shuffle') throw new DatasetError(`dataset ${file}: unknown order "${opts.order}": valid are sequential, shuffle`);
  if (opts.onExhausted !== undefined && opts.onExhausted !== 'loop' && opts.onExhausted !== 'stop') throw new DatasetError(`dataset ${file}: unknown onExhausted "${opts.onExhausted}": valid are loop, stop`);
  if (opts.sample !== undefined && !(Number.isInteger(opts.sample) && opts.sample >= 1)) throw new DatasetError(`dataset ${file}: sample must be an integer ≥ 1`);
  const range = opts.inputTokens;
  if (range && range.min !== undefined && range.max !== undefined && range.min > range.max) throw new DatasetError(`dataset ${file}: inputTokens min ${range.min} > max ${range.max}`);
  let fd: number;
  try { fd = openSync(path, 'r'); } catch (e) { throw new DatasetError(`dataset ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? `no such file (${path})` : (e as Error).message}`); }
  const format = opts.format ? FORMATS[opts.format]! : detect(path, fd);
  let idx: FileIndex;
  try { idx = indexFile(path, format); } catch (e) { closeSync(fd); throw e; }
  const n = Math.min(idx.count, opts.sample ?? Infinity);
  // the order: identity, or a seeded permutation every thread computes alike with no memory per
  // record: k ↦ (a·k + b) mod count, a coprime to count (an affine bijection; sample N keeps the
  // first N of it)
  let shuffle: ((k: number) => number) | null = null;
  if (opts.order === 'shuffle') {
    const r = prng(opts.seed ?? 1), m = idx.count;
    const gcd = (x: number, y: number): number => (y ? gcd(y, x % y) : x);
    let a = 1 + Math.floor(r() * Math.max(1, m - 1));
    while (m > 1 && gcd(a, m) !== 1) a = (a % (m - 1)) + 1;
    const b = Math.floor(r() * m);
    shuffle = (k) => Number((BigInt(a) * BigInt(k) + BigInt(b)) % BigInt(m));
  }
  const cursor = sharedCounter(`dataset\n${path}\n${format.name}\n${opts.order ?? 'sequential'}\n${opts.seed ?? 1}\n${n}`);
  const model = opts.model ?? 'gpt-4.1';
  const loop = opts.onExhausted !== 'stop';
  const fits = (rec: DatasetRecord) => {
    if (!range) return true;
    const t = countTokensSync(model, rec.messages.map((m) => m.content).join('\n'));
    return t >= (range.min ?? 0) && t <= (range.max ?? Infinity);
  };
  return {
    size: n,
    format: format.name,
    /** the longest record in bytes: a bound on its prompt's tokens (a token is ≥ 1 byte), for the
     *  budget guard's worst case */
    maxRecordBytes() { return recordBytesMax(idx); },
    next() {
      // a filter may skip records; after a whole pass with none kept, say so
      for (let tries = 0; tries <= n; tries++) {
        const k = cursor.next();
        if (!loop && k >= n) return null;
        const i = shuffle ? shuffle(k % n) : k % n;
        const rec = format.parse(readRecord(fd, idx, i));
        if (!fits(rec)) continue;
        const outputTokens = rec.max_tokens ?? (rec.reference !== undefined ? Math.max(1, countTokensSync(model, rec.reference)) : undefined);
        return { ...rec, index: i, ...(outputTokens !== undefined ? { outputTokens } : {}) };
      }
      throw new DatasetError(`dataset ${file}: no record has between ${range?.min ?? 0} and ${range?.max ?? '∞'} input tokens`);
    },
  };
}
