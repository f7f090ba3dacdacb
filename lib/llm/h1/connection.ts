// One HTTP/1.1 connection: a socket, the response parser of the exchange in flight on it, and
// the read path. Plain TCP reads with net's `onread` option: libuv reads into one buffer per
// connection and calls back directly, with no Readable stream, no Buffer per read and no
// process.nextTick hop per chunk (the stream machinery was ~20 % of the thread's time per
// event behind undici; docs/PERFORMANCE.md, "Our own HTTP/1.1 reader"). TLS sockets read
// through 'data' events (TLSSocket does not take `onread`).
import type { Socket } from 'node:net';
import { ResponseParser, HttpParseError } from './parser.ts';
import { monoMs } from '../../clock.ts';

/** What the request in flight hears from its connection. */
export interface Exchange {
  onHeaders(status: number, headers: Record<string, string>, at: number): void;
  /** buf[start, end): a range of the connection's read buffer, valid during the call only */
  onData(buf: Buffer, start: number, end: number, at: number): void;
  /** complete; `reusable`: the connection went back to the pool */
  onEnd(at: number): void;
  onError(err: Error, at: number): void;
}

export const READ_BUFFER = 64 * 1024;
const EMPTY = Buffer.alloc(0);

export class Connection {
  socket!: Socket;
  /** the buffer libuv reads plain-TCP data into (reused: nothing may keep a view of it); TLS
   *  reads hand over their own chunks, so a TLS connection allocates none (see withReadBuffer) */
  buf: Buffer = EMPTY;
  private ex: Exchange | null = null;
  private parser: ResponseParser | null = null;
  private at = 0;
  closed = false;
  /** when it last went idle (pool expiry) */
  idleSince = 0;
  /** the server's keep-alive hint (`Keep-Alive: timeout=N`), ms; 0: none */
  keepAliveMs = 0;
  /** after the exchange in flight: back to the pool (set by the pool) */
  release: (c: Connection) => void = () => {};
  private reusable = false;
  /** requests started on this connection (more than 1: it was reused from the pool) */
  uses = 0;
  /** response bytes read for the exchange in flight (0 when it dies: the server never answered) */
  got = 0;

  constructor(readonly key: string) {}

  /** plain TCP: the buffer libuv reads into, allocated once for the connection's life */
  withReadBuffer(): this { this.buf = Buffer.allocUnsafe(READ_BUFFER); return this; }

  /** plain TCP: the `onread` callback (bound once per connection) */
  readonly onread = (n: number, buf: Buffer): boolean => { this.read(buf, n); return true; };

  attach(socket: Socket, viaData: boolean): void {
    this.socket = socket;
    if (viaData) socket.on('data', (chunk: Buffer) => this.read(chunk, chunk.length));
    socket.on('end', () => this.eof());
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => { if (!this.closed) this.fail(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' })); });
  }

  /** Sends one request; the response goes to `ex`. */
  start(ex: Exchange, wire: string | Buffer, noBody: boolean): void {
    this.ex = ex;
    this.reusable = false;
    this.uses++;
    this.got = 0;
    const self = this;
    this.parser = new ResponseParser({
      onHeaders(status, headers) {
        const ka = headers['keep-alive'];
        if (ka) { const m = /timeout=(\d+)/i.exec(ka); if (m) self.keepAliveMs = Number(m[1]) * 1000; }
        self.ex?.onHeaders(status, headers, self.at);
      },
      onBody(buf, s, e) { self.ex?.onData(buf, s, e, self.at); },
      onComplete(keepAlive) { self.reusable = keepAlive; },
    }, noBody);
    this.socket.write(wire);
  }

  /** The exchange gives up (abort, timeout): the connection cannot carry another request. */
  abandon(): void {
    this.ex = null;
    this.destroy();
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
  }

  private read(buf: Buffer, n: number): void {
    this.at = monoMs();
    // a CR after the bytes read: scans for CR over a range of this buffer (the SSE parser's
    // fast path, lib/llm/sse.ts) stop here, not in what earlier reads left behind
    if (n < buf.length) buf[n] = 13;
    this.got += n;
    const p = this.parser;
    if (!p || !this.ex) { this.destroy(); return; } // data on an idle connection: not ours to read
    try { p.execute(buf, n); }
    catch (e) { this.fail(e as Error); return; }
    if (p.done) this.finish(p.extra > 0);
  }

  private finish(extra: boolean): void {
    const ex = this.ex;
    this.ex = null;
    this.parser = null;
    if (extra || !this.reusable) this.destroy();
    else { this.idleSince = this.at; this.release(this); }
    ex?.onEnd(this.at);
  }

  private eof(): void {
    this.at = monoMs();
    const p = this.parser;
    if (p && this.ex) {
      // the server closed before the response was whole: a network failure (the socket was cut),
      // not a malformed response
      try { p.finish(); } catch (e) { this.fail(Object.assign(new Error((e as Error).message), { code: 'UND_ERR_SOCKET' })); return; }
      if (p.done) { this.reusable = false; this.finish(false); return; }
    }
    this.destroy();
  }

  private fail(e: Error): void {
    const ex = this.ex;
    this.ex = null;
    this.parser = null;
    this.destroy();
    if (ex) ex.onError(e instanceof HttpParseError ? Object.assign(e, { code: 'HPE_INVALID' }) : e, monoMs());
  }
}
