// Byte-level helpers for SseParser's byte path and the dialects' readers of it: checks that let
// a reader take a common event's text straight from the socket's bytes, or hand it to JSON.parse.
import type { TextSink } from './text-sink.ts';
import { NO_OUTPUT, OUTPUT, type EventVerdict } from './types.ts';

export function bytesAt(b: Uint8Array, i: number, end: number, want: Uint8Array): boolean {
  if (i + want.length > end) return false;
  for (let k = 0; k < want.length; k++) if (b[i + k] !== want[k]) return false;
  return true;
}

/** Length of the valid UTF-8 sequence at b[i] (a byte >= 0x80), or 0 (https://encoding.spec.whatwg.org/#utf-8-decoder). */
export function utf8Len(b: Uint8Array, i: number, end: number): number {
  const c = b[i]!;
  if (c >= 0xc2 && c <= 0xdf) return i + 1 < end && (b[i + 1]! & 0xc0) === 0x80 ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (i + 2 >= end) return 0;
    const c1 = b[i + 1]!;
    if ((c1 & 0xc0) !== 0x80 || (b[i + 2]! & 0xc0) !== 0x80 || (c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 > 0x9f)) return 0;
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (i + 3 >= end) return 0;
    const c1 = b[i + 1]!;
    if ((c1 & 0xc0) !== 0x80 || (b[i + 2]! & 0xc0) !== 0x80 || (b[i + 3]! & 0xc0) !== 0x80 || (c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 > 0x8f)) return 0;
    return 4;
  }
  return 0;
}

/** The end of the JSON string that starts at b[start] (after its opening quote) when it is
 * plain — valid UTF-8, no escapes or control characters — and the rest of b[start, e) is one
 * of `tails` (from the closing quote on), else -1. */
export function stringEnd(b: Buffer, start: number, e: number, tails: Buffer[]): number {
  let i = start;
  while (i < e) {
    const c = b[i]!;
    if (c === 0x22) break;
    if (c < 0x20 || c === 0x5c) return -1; // control character or escape: JSON.parse decides
    if (c < 0x80) { i++; continue; }
    const len = utf8Len(b, i, e);
    if (len === 0) return -1;
    i += len;
  }
  const rest = e - i;
  for (const t of tails) if (t.length === rest && t.compare(b, i, e) === 0) return i;
  return -1;
}

/** A dialect's common text chunk read from bytes: `check` finds where the text string starts
 * (after the prefix), `tails` are what may follow it. A stream repeats one prefix in every
 * chunk of a kind (OpenAI: id, object, created, model, …): once `check` has accepted it in
 * full, later chunks compare it natively (memcmp) instead of scanning it byte by byte. */
export class TextChunk {
  private p: Buffer | null = null;
  constructor(private check: (b: Buffer, s: number, e: number) => number, private tails: Buffer[]) {}

  /** Appends the text of the data b[s, e) to `sink` and counts it in `result`: the event's
   *  verdict (an empty text is not output), or null when this is not the common chunk
   *  (nothing was changed; the event goes to the text path). */
  read(b: Buffer, s: number, e: number, sink: TextSink, result: { outputEvents: number }): EventVerdict | null {
    const start = this.end(b, s, e);
    if (start < 0) return null;
    const end = stringEnd(b, start, e, this.tails);
    if (end < 0) return null;
    if (end === start) return NO_OUTPUT;
    sink.appendBytes(b, start, end);
    result.outputEvents++;
    return OUTPUT;
  }

  private end(b: Buffer, s: number, e: number): number {
    const p = this.p;
    if (p !== null && e - s > p.length && p.compare(b, s, s + p.length) === 0) return s + p.length;
    const k = this.check(b, s, e);
    if (k >= 0) this.p = Buffer.from(b.subarray(s, k));
    return k;
  }
}
