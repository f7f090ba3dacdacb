// Trace replay (docs/WORKLOADS.md): the `trace-replay` executor dispatches request i at the
// trace's recorded offset (÷ speed) as an open model; the script asks trace(file).request(i)
// for what to send (i = exec.scenario.iterationInTest). Prompts of input_length tokens are
// synthesized (lib/workload/synthetic.ts) — with Mooncake's hash_ids, each 512-token block from
// its own id, so requests that share blocks share a prompt prefix, as the recorded ones did.
import { closeSync, openSync, readSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { runtime } from '../runtime.ts';
import { prng } from '../random.ts';
import { RecordError } from './formats/types.ts';
import { parseTraceLine, traceFormat, type TraceRecord } from './formats/trace.ts';
import { DatasetError, indexFile, readRecord } from './file-index.ts';
import { textOfTokens, wordPool } from './synthetic.ts';

/** Mooncake's block: hash_ids name 512-token blocks of the prompt */
export const BLOCK_TOKENS = 512;

/** The trace's offsets (ms from its first request, ÷ speed), read once, in time order or an error
 *  naming the first line out of order. */
export function traceOffsets(path: string, speed = 1): number[] {
  if (!(speed > 0)) throw new DatasetError(`trace ${path}: speed must be > 0, not ${speed}`);
  const idx = indexFile(path, traceFormat);
  const fd = openSync(path, 'r');
  try {
    const out: number[] = [];
    let first = 0, prev = -Infinity;
    for (let i = 0; i < idx.count; i++) {
      let r: TraceRecord;
      try { r = parseTraceLine(readRecord(fd, idx, i)); } catch (e) { throw new DatasetError(`trace ${path}: record ${i + 1}: ${(e as RecordError).message}`); }
      if (r.timestamp < prev) throw new DatasetError(`trace ${path}: record ${i + 1} has timestamp ${r.timestamp}, earlier than the one before (${prev}): sort the trace by timestamp`);
      if (i === 0) first = r.timestamp;
      prev = r.timestamp;
      out.push((r.timestamp - first) / speed);
    }
    return out;
  } finally { closeSync(fd); closeSync(idx.fd); }
}

export interface TraceRequest {
  messages: Array<{ role: string; content: string }>;
  /** the recorded output length (max_tokens to ask for), when the trace has one */
  max_tokens?: number;
  /** the recorded input length, when the trace gives lengths (the prompt has that many tokens
   *  in the model family's tokenizer) */
  inputTokens?: number;
}

export function trace(file: string, opts: { model?: string } = {}): { readonly size: number; request(i: number): TraceRequest; maxLengths(): { input: number; output: number } } {
  const path = isAbsolute(file) ? file : resolve(runtime().scriptDir ?? process.cwd(), file);
  const idx = indexFile(path, traceFormat);
  const fd = openSync(path, 'r');
  const pool = wordPool(opts.model ?? 'gpt-4.1');
  return {
    size: idx.count,
    /** the largest input and output lengths (input in bytes for message records: a token bound) */
    maxLengths() {
      let input = 0, output = 0;
      for (let i = 0; i < idx.count; i++) {
        const t = readRecord(fd, idx, i);
        const r = parseTraceLine(t);
        input = Math.max(input, r.inputLength ?? Buffer.byteLength(t));
        output = Math.max(output, r.outputLength ?? 0);
      }
      return { input, output };
    },
    request(i: number): TraceRequest {
      if (!(i >= 0 && i < idx.count)) throw new DatasetError(`trace ${file}: no record ${i} (it has ${idx.count})`);
      const r = parseTraceLine(readRecord(fd, idx, i));
      const out = r.outputLength !== undefined ? { max_tokens: r.outputLength } : {};
      if (r.messages) return { messages: r.messages, ...out };
      const n = r.inputLength!;
      let text = '';
      if (r.hashIds && r.hashIds.length) {
        // one block per hash id, the last cut to fit: shared ids, shared prefix
        for (let b = 0; b < r.hashIds.length && b * BLOCK_TOKENS < n; b++) text += textOfTokens(Math.min(BLOCK_TOKENS, n - b * BLOCK_TOKENS), pool, prng(r.hashIds[b]! * 2654435761 + 1));
        const have = Math.min(n, r.hashIds.length * BLOCK_TOKENS);
        if (have < n) text += textOfTokens(n - have, pool, prng(i + 7));
      } else text = textOfTokens(n, pool, prng(i * 2654435761 + 7));
      return { messages: [{ role: 'user', content: text }], inputTokens: n, ...out };
    },
  };
}
