// An incremental text/event-stream parser over bytes, per the WHATWG HTML spec,
// https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
// Lines end in CR, LF or CRLF (a CRLF may be split between reads); a leading BOM is dropped
// (TextDecoder does it); UTF-8 split between reads is reassembled (TextDecoder stream mode);
// comments are reported (keep-alives matter for idle timeouts) but dispatch nothing; the
// last event is dispatched only when its blank line arrives.
export interface SseEvent { event: string; data: string; id: string }

export interface SseHandlers {
  event(e: SseEvent): void;
  /** Optional fast path: a complete event made of one `data: ` line, optionally after one
   *  `event: ` line, handed over as the bytes of the data's value (buf[start, end)) and of the
   *  event name (buf[eventStart, eventEnd), -1 when there is none), no CR or LF inside,
   *  instead of decoded strings. Return true when it was consumed (it then stands for
   *  event({event: name || 'message', data})), false to have it parsed as text. Offered only
   *  at event boundaries with nothing pending (no partial line, data or event type, no split
   *  UTF-8), so both paths see identical streams; the reader decides what it can take from
   *  bytes (docs/PERFORMANCE.md, "A byte path for the common chunk"). */
  bytes?(buf: Buffer, start: number, end: number, eventStart: number, eventEnd: number): boolean;
  comment?(text: string): void;
  retry?(ms: number): void;
  /** a line or an event's data outgrew its limit (SSE_LIMITS): the parser has stopped */
  overflow?(what: string): void;
}

/** What one stream may hold at once. A provider's events are a few KB (a tool call's arguments,
 *  a long reasoning delta); these bound memory when a server never ends a line or an event,
 *  and end the call as malformed (docs/METRICS.md, "Limits"). */
export const SSE_LIMITS = { lineBytes: 1 << 20, eventDataBytes: 8 << 20 };

import { StringDecoder } from 'node:string_decoder';

import { bytesAt } from './bytes.ts';

const DATA = Buffer.from('data: ');
const EVENT = Buffer.from('event: ');

export class SseParser {
  // StringDecoder keeps a UTF-8 sequence split between reads for the next one; it is much
  // cheaper per small chunk than TextDecoder (measured). The BOM is stripped by hand.
  private decoder = new StringDecoder('utf8');
  private first = true;
  private line = ''; // incomplete line carried between reads
  private skipLF = false; // the previous read ended in CR: a leading LF belongs to it
  private data = '';
  private hasData = false;
  private type = '';
  private lastId = '';
  // at an event boundary with nothing pending: the byte path may take the next event
  private clean = false;
  stopped = false;
  constructor(private h: SseHandlers) {}

  /** Feeds raw bytes (or already-decoded text); `start`/`end`: a range of the bytes (a
   *  transport's read buffer), so no Buffer object is made per read. When `end` is short of the
   *  buffer's length, a CR (byte 13) must follow somewhere at or after `end` — chunked framing's
   *  CRLF after each chunk, or the sentinel our HTTP/1.1 reader writes after each read — so the
   *  native CR scan stops there instead of running through stale bytes. */
  push(chunk: Uint8Array | string, start = 0, end = -1): void {
    if (typeof chunk === 'string') { this.clean = false; return this.text(chunk); }
    const whole = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const n = end < 0 ? whole.length : end;
    let p = start;
    if (this.clean && this.h.bytes) {
      const buf = whole;
      let cr = buf.indexOf(13, p); // native scans (memchr): ~20 ns where a JS loop takes ~1 ns a byte
      while (p < n && !this.stopped) {
        let q = p, evS = -1, evE = -1;
        if (buf[q] === 0x65 && bytesAt(buf, q, n, EVENT)) { // event: NAME
          evS = q + 7;
          evE = buf.indexOf(10, evS);
          if (evE < 0 || evE === evS || evE >= n) break;
          q = evE + 1;
        }
        if (buf[q] !== 0x64 || !bytesAt(buf, q, n, DATA)) break; // data: VALUE
        const j = buf.indexOf(10, q + 6);
        if (j < 0 || j + 1 >= n || buf[j + 1] !== 10) break; // and a blank line
        if (cr >= 0 && cr < p) cr = buf.indexOf(13, p);
        if (cr >= 0 && cr < j) break;
        if (!this.h.bytes(buf, q + 6, j, evS, evE)) break;
        p = j + 2;
      }
      if (p === n || this.stopped) return;
    }
    if (p >= n) return;
    this.text(this.decoder.write(p === 0 && n === whole.length ? whole : whole.subarray(p, n)));
    // the decoder holds nothing back after an ASCII byte; the rest must be at a boundary
    this.clean = whole[n - 1]! < 0x80 && this.line === '' && !this.hasData && this.type === '' && !this.skipLF && !this.first;
  }

  private text(t: string): void {
    let text = t;
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // one leading BOM (spec)
    }
    let i = 0;
    const n = text.length;
    if (this.skipLF && n > 0) { if (text.charCodeAt(0) === 10) i = 1; this.skipLF = false; }
    // most streams end lines with LF only: find line ends with native indexOf then
    let nextCR = text.indexOf('\r', i);
    while (i < n && !this.stopped) {
      // find the next CR or LF
      if (nextCR >= 0 && nextCR < i) nextCR = text.indexOf('\r', i);
      let j = text.indexOf('\n', i);
      if (nextCR >= 0 && (j < 0 || nextCR < j)) j = nextCR;
      if (j < 0) {
        this.line += text.slice(i);
        if (this.line.length > SSE_LIMITS.lineBytes) this.overflow(`an SSE line longer than ${SSE_LIMITS.lineBytes} bytes with no line end`);
        return;
      }
      const line = this.line ? this.line + text.slice(i, j) : text.slice(i, j);
      this.line = '';
      if (text.charCodeAt(j) === 13) {
        if (j + 1 < n) { if (text.charCodeAt(j + 1) === 10) j++; }
        else this.skipLF = true;
      }
      i = j + 1;
      this.processLine(line);
    }
  }

  /** End of stream: flush the decoder; an unterminated last event is discarded (spec). */
  end(): void {
    const rest = this.decoder.end();
    if (rest) this.text(rest);
  }

  private processLine(line: string): void {
    if (line.length === 0) return this.dispatch();
    if (line.charCodeAt(0) === 58 /* : */) { this.h.comment?.(line.slice(1)); return; }
    const colon = line.indexOf(':');
    let field: string, value: string;
    if (colon < 0) { field = line; value = ''; }
    else {
      field = line.slice(0, colon);
      value = line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
    }
    switch (field) {
      case 'data':
        this.data = this.hasData ? this.data + '\n' + value : value;
        this.hasData = true;
        if (this.data.length > SSE_LIMITS.eventDataBytes) this.overflow(`an SSE event with more than ${SSE_LIMITS.eventDataBytes} bytes of data and no blank line`);
        break;
      case 'event': this.type = value; break;
      case 'id': if (!value.includes('\0')) this.lastId = value; break;
      case 'retry': if (/^\d+$/.test(value)) this.h.retry?.(Number(value)); break;
      default: break; // unknown fields are ignored
    }
  }

  private overflow(what: string): void {
    this.stopped = true;
    this.line = '';
    this.data = '';
    this.h.overflow?.(what);
  }

  private dispatch(): void {
    if (!this.hasData) { this.type = ''; return; }
    const e: SseEvent = { event: this.type || 'message', data: this.data, id: this.lastId };
    this.data = '';
    this.hasData = false;
    this.type = '';
    this.h.event(e);
  }
}
