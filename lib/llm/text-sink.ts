// Accumulates streamed text outside the JS heap. `content += delta` keeps two small heap
// objects per token (the delta and a cons-string node) alive until the stream ends; at 1,000
// open streams that is ~200,000 live young objects for the scavenger to copy. Here each delta
// is encoded into a growing native buffer and the string is made once, at the end (GC time in
// the 1,000-stream client benchmark: 164 ms → 117–127 ms; docs/PERFORMANCE.md).
export class TextSink {
  private buf: Buffer | null = null;
  private n = 0;

  append(s: string): void {
    const need = this.n + s.length * 3; // UTF-8 worst case for a UTF-16 code unit
    if (!this.buf || need > this.buf.length) {
      const next = Buffer.allocUnsafeSlow(Math.max(1024, need * 2));
      if (this.buf) this.buf.copy(next, 0, 0, this.n);
      this.buf = next;
    }
    this.n += this.buf.write(s, this.n, 'utf8');
  }

  get length(): number { return this.n; }

  toString(): string { return this.buf ? this.buf.toString('utf8', 0, this.n) : ''; }
}
