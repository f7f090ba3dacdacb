// An incremental HTTP/1.1 response parser (RFC 9112) for the streaming hot path: bytes in,
// status + headers + body slices out, no copy of the body and no allocation per chunk on the
// common path (a chunk-size line and its data in one read). Pure: no sockets, no timers; the
// connection (./connection.ts) feeds it, and parser.test.ts covers the framing cases:
// chunked bodies with extensions and trailers, Content-Length, read-until-close, 1xx interim
// responses, HEAD / 204 / 304 without a body, and every split point of a response.

export interface ResponseHandlers {
  /** the final (non-1xx) response's status line and headers: names lower-cased, a repeated
   *  header's values joined with ", " */
  onHeaders(status: number, headers: Record<string, string>): void;
  /** body bytes buf[start, end): valid only during the call (the buffer is reused) */
  onBody(buf: Buffer, start: number, end: number): void;
  /** the message is complete; `keepAlive`: the connection may carry another request */
  onComplete(keepAlive: boolean): void;
}

export class HttpParseError extends Error {}

const enum S { Head, Length, ChunkSize, ChunkData, ChunkCrlf, Trailers, UntilClose, Done }

const MAX_HEAD = 64 * 1024;
const MAX_SIZE_LINE = 4096;

export class ResponseParser {
  private s = S.Head;
  private head = ''; // latin1 text of an incomplete head
  private left = 0; // bytes left in the body (Length) or in the chunk (ChunkData)
  private line = ''; // an incomplete chunk-size or trailer line
  private lineEnd = 0; // where the line readLine returned ended
  private crlfSeen = 0; // of the CRLF after chunk data
  private keepAlive = true;
  /** the status of the final response (0 until its head is parsed) */
  status = 0;
  /** bytes after a complete message (another response the server should not have sent) */
  extra = 0;

  constructor(private h: ResponseHandlers, private noBody = false) {}

  get done(): boolean { return this.s === S.Done; }
  /** inside a message (headers or body started but not finished) */

  /** Parses buf[0, end); throws HttpParseError on a malformed response. */
  execute(buf: Buffer, end = buf.length): void {
    let p = 0;
    while (p < end) {
      switch (this.s) {
        case S.Head: p = this.parseHead(buf, p, end); break;
        case S.Length: {
          const take = Math.min(this.left, end - p);
          this.h.onBody(buf, p, p + take);
          p += take;
          this.left -= take;
          if (this.left === 0) this.complete();
          break;
        }
        case S.UntilClose: this.h.onBody(buf, p, end); p = end; break;
        case S.ChunkSize: p = this.chunkSize(buf, p, end); break;
        case S.ChunkData: {
          const take = Math.min(this.left, end - p);
          if (take > 0) this.h.onBody(buf, p, p + take);
          p += take;
          this.left -= take;
          if (this.left === 0) { this.s = S.ChunkCrlf; this.crlfSeen = 0; }
          break;
        }
        case S.ChunkCrlf: {
          // CRLF (a bare LF is tolerated, as most parsers do)
          const c = buf[p]!;
          if (c === 13 && this.crlfSeen === 0) { this.crlfSeen = 1; p++; break; }
          if (c === 10) { p++; this.s = S.ChunkSize; this.line = ''; break; }
          throw new HttpParseError('chunk data is not followed by CRLF');
        }
        case S.Trailers: p = this.trailers(buf, p, end); break;
        case S.Done: this.extra += end - p; return;
      }
    }
  }

  /** The connection closed: completes a read-until-close body; throws when a message was cut. */
  finish(): void {
    if (this.s === S.UntilClose) { this.s = S.Done; this.h.onComplete(false); return; }
    if (this.s === S.Done) return;
    if (this.s === S.Head && this.head.length === 0 && this.status === 0) throw new HttpParseError('connection closed before a response');
    throw new HttpParseError(this.s === S.Head ? 'connection closed inside the response head' : 'connection closed before the body was complete');
  }

  private complete(): void {
    this.s = S.Done;
    this.h.onComplete(this.keepAlive);
  }

  private parseHead(buf: Buffer, p: number, end: number): number {
    // the head ends at the first empty line (CRLF CRLF, or LF LF from a lax server)
    const chunk = buf.toString('latin1', p, end);
    const text = this.head + chunk;
    let stop = text.indexOf('\r\n\r\n');
    let sep = 4;
    const lf = text.indexOf('\n\n');
    if (lf >= 0 && (stop < 0 || lf < stop)) { stop = lf; sep = 2; }
    if (stop < 0) {
      if (text.length > MAX_HEAD) throw new HttpParseError(`response head larger than ${MAX_HEAD} bytes`);
      this.head = text;
      return end;
    }
    const consumed = stop + sep - this.head.length; // bytes of this buffer that belong to the head
    this.head = '';
    this.startMessage(text.slice(0, stop));
    return p + consumed;
  }

  private startMessage(head: string): void {
    const lines = head.split(/\r?\n/);
    const m = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/.exec(lines[0]!);
    if (!m) throw new HttpParseError(`not an HTTP/1.x status line: ${JSON.stringify(lines[0]!.slice(0, 80))}`);
    const minor = Number(m[1]);
    const status = Number(m[2]);
    const headers: Record<string, string> = {};
    for (let i = 1; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.length === 0) continue;
      if (l.charCodeAt(0) === 32 || l.charCodeAt(0) === 9) throw new HttpParseError('obsolete header line folding'); // RFC 9112 §5.2: a client may reject
      const c = l.indexOf(':');
      if (c <= 0) throw new HttpParseError(`malformed header line: ${JSON.stringify(l.slice(0, 80))}`);
      const name = l.slice(0, c).toLowerCase();
      if (/[\s]/.test(name)) throw new HttpParseError(`malformed header name: ${JSON.stringify(name)}`);
      const value = l.slice(c + 1).trim();
      // own keys only: a header named "constructor" or "__proto__" must not meet Object.prototype
      if (name === "__proto__") continue;
      headers[name] = Object.hasOwn(headers, name) ? `${headers[name]}, ${value}` : value;
    }
    // 1xx interim responses (100 Continue, 103 Early Hints) are skipped; 101 is not expected
    if (status >= 100 && status < 200) {
      if (status === 101) throw new HttpParseError('unexpected 101 Switching Protocols');
      return; // stays in S.Head for the final response
    }
    this.status = status;
    const conn = (headers.connection ?? '').toLowerCase();
    this.keepAlive = minor === 1 ? !/(^|,)\s*close\s*(,|$)/.test(conn) : /(^|,)\s*keep-alive\s*(,|$)/.test(conn);
    this.h.onHeaders(status, headers);
    if (this.s === S.Done) return; // the handler aborted
    if (this.noBody || status === 204 || status === 304) return this.complete();
    const te = headers['transfer-encoding'];
    if (te !== undefined) {
      // chunked must be the final coding (RFC 9112 §6.3); anything else is read until close
      if (/(^|,)\s*chunked\s*$/i.test(te)) { this.s = S.ChunkSize; this.line = ''; return; }
      this.keepAlive = false;
      this.s = S.UntilClose;
      return;
    }
    const cl = headers['content-length'];
    if (cl !== undefined) {
      // repeated identical values ("5, 5") are one length (RFC 9110 §8.6)
      const vals = new Set(cl.split(',').map((v) => v.trim()));
      const v = vals.size === 1 ? [...vals][0]! : '';
      if (!/^\d+$/.test(v)) throw new HttpParseError(`invalid Content-Length: ${JSON.stringify(cl)}`);
      this.left = Number(v);
      if (this.left === 0) return this.complete();
      this.s = S.Length;
      return;
    }
    this.keepAlive = false;
    this.s = S.UntilClose;
  }

  private chunkSize(buf: Buffer, p: number, end: number): number {
    // fast path: the whole size line is in this buffer, nothing carried over
    if (this.line === '') {
      let size = 0, q = p, digits = 0;
      for (; q < end; q++) {
        const c = buf[q]!;
        const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
        if (d < 0) break;
        size = size * 16 + d;
        if (++digits > 12) throw new HttpParseError('chunk size too large');
      }
      if (q < end && digits > 0) {
        const lf = buf.indexOf(10, q);
        if (lf >= 0 && lf < end) {
          // after the digits, as the split path's pattern says: optional blanks, then the line's
          // end (CRLF or LF) or extensions (";name=value", ignored) — "5 x" is refused here too
          let r = q;
          while (r < lf && (buf[r] === 32 || buf[r] === 9)) r++;
          const c = buf[r]!;
          if (!(r === lf || (c === 13 && r + 1 === lf) || c === 59)) throw new HttpParseError(`invalid chunk size line: ${JSON.stringify(buf.toString('latin1', p, Math.min(lf, p + 40)))}`);
          this.gotSize(size);
          return lf + 1;
        }
      }
    }
    const line = this.readLine(buf, p, end, MAX_SIZE_LINE, 'chunk size line too long');
    if (line === null) return end;
    const m = /^([0-9a-fA-F]{1,12})[ \t]*(;.*)?$/.exec(line);
    if (!m) throw new HttpParseError(`invalid chunk size line: ${JSON.stringify(line.slice(0, 40))}`);
    this.gotSize(parseInt(m[1]!, 16));
    return this.lineEnd;
  }

  /** The next line of buf[p, end) after what earlier reads left of it, without its CR LF; its
   *  end goes to this.lineEnd. null: the line goes on past this read (kept, up to `max`). */
  private readLine(buf: Buffer, p: number, end: number, max: number, tooLong: string): string | null {
    const lf = buf.indexOf(10, p);
    if (lf < 0 || lf >= end) {
      this.line += buf.toString('latin1', p, end);
      if (this.line.length > max) throw new HttpParseError(tooLong);
      return null;
    }
    const line = (this.line + buf.toString('latin1', p, lf)).replace(/\r$/, '');
    this.line = '';
    this.lineEnd = lf + 1;
    return line;
  }

  private gotSize(size: number): void {
    if (size === 0) { this.s = S.Trailers; this.line = ''; return; }
    this.left = size;
    this.s = S.ChunkData;
  }

  private trailers(buf: Buffer, p: number, end: number): number {
    // trailer fields are read and dropped; an empty line ends the message
    while (p < end) {
      const line = this.readLine(buf, p, end, MAX_HEAD, 'trailers too large');
      if (line === null) return end;
      p = this.lineEnd;
      if (line === '') { this.complete(); return p; }
    }
    return p;
  }
}
