// Accumulates streamed text outside the JS heap. `content += delta` keeps two small heap
// objects per token (the delta and a cons-string node) alive until the stream ends; at 1,000
// open streams that is ~200,000 live young objects for the scavenger to copy. Here each delta
// is encoded into a growing native buffer and the string is made once, at the end (GC time in
// the 1,000-stream client benchmark: 164 ms → 117–127 ms; docs/PERFORMANCE.md).
export class TextSink {
  private buf: Buffer | null = null;
  private n = 0;
  /** `initial`: the first buffer's size, for a caller that knows what to expect (each growth
   *  allocates anew and copies; the buffers it leaves are native memory until a GC frees them) */
  constructor(private initial = 1024) {}

  append(s: string): void {
    const buf = this.reserve(s.length * 3); // UTF-8 worst case for a UTF-16 code unit
    this.n += buf.write(s, this.n, 'utf8');
  }

  /** Appends UTF-8 bytes as they are (the caller checked they are valid UTF-8). */
  appendBytes(src: Uint8Array, start: number, end: number): void {
    const len = end - start;
    const buf = this.reserve(len);
    // a token is a few bytes: a loop beats the native call's fixed cost below ~64 bytes
    if (len < 64) { let n = this.n; for (let i = start; i < end; i++) buf[n++] = src[i]!; }
    else buf.set(src.subarray(start, end), this.n);
    this.n += len;
  }

  private reserve(extra: number): Buffer {
    const need = this.n + extra;
    if (!this.buf || need > this.buf.length) {
      const next = Buffer.allocUnsafeSlow(Math.max(this.initial, need * 2));
      if (this.buf) this.buf.copy(next, 0, 0, this.n);
      this.buf = next;
    }
    return this.buf;
  }

  get length(): number { return this.n; }

  /** what was appended, as bytes: a view of the sink's own buffer (allocated unpooled, so the
   *  view holds nothing else), for a caller that appends no more */
  bytes(): Buffer { return this.buf ? this.buf.subarray(0, this.n) : Buffer.alloc(0); }

  toString(): string { return this.buf ? this.buf.toString('utf8', 0, this.n) : ''; }
}
