// The Transport of ../transport.ts on our own HTTP/1.1 reader (./parser.ts, ./connection.ts,
// ./pool.ts): chat()'s streaming hot path without undici's layers (Readable stream, llhttp in
// wasm, request/handler wrappers). Same contract as undiciTransport: timeouts (connect,
// headers, idle, total), abort, error kinds, connection set-up timing. Chosen with
// `--http-client` (engine/config); undici stays for k6/http and everything else.
import type { Transport, TransportHandlers, TransportRequest } from '../transport.ts';
import type { ErrorKind } from '../types.ts';
import { acquire } from './pool.ts';
import type { Connection, Exchange } from './connection.ts';
import { monoMs } from '../../clock.ts';
import { CONNECT_ERRORS, connectFailure, isIdleCloseRace, withCode } from '../net-errors.ts';
const INVALID = /[\r\n\0]/;
// set by us; a caller's value would frame the body wrongly
const OURS = new Set(['content-length', 'transfer-encoding', 'connection']);

function requestHead(req: TransportRequest, bodyLen: number): string {
  let head = `${req.method} ${req.url.pathname}${req.url.search} HTTP/1.1\r\n`;
  let host = false;
  for (const name in req.headers) {
    const v = req.headers[name]!;
    const lower = name.toLowerCase();
    if (OURS.has(lower)) continue;
    if (lower === 'host') host = true;
    if (INVALID.test(name) || INVALID.test(v) || name.includes(':') || name.length === 0) throw new Error(`invalid request header ${JSON.stringify(name)}: names and values may not contain CR, LF or NUL`);
    head += `${name}: ${v}\r\n`;
  }
  if (!host) head += `host: ${req.url.host}\r\n`;
  if (req.body !== null || req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') head += `content-length: ${bodyLen}\r\n`;
  return head + '\r\n';
}

export const h1Transport: Transport = {
  reusesBuffers: true,
  send(req: TransportRequest, h: TransportHandlers) {
    let done = false;
    let sent = false;
    let gotHeaders = false;
    let conn: Connection | null = null;
    let lastData = 0;
    let headersTimer: NodeJS.Timeout | null = null;
    let idleTimer: NodeJS.Timeout | null = null;
    let cancelConnect: (() => void) | null = null;
    let resent = false;
    const totalTimer = setTimeout(() => end('timeout_total', 'total timeout exceeded', false), req.totalTimeoutMs);
    const onAbort = () => end('aborted', 'aborted (scenario ended or test stopped)', false);
    const cleanup = () => {
      clearTimeout(totalTimer);
      if (headersTimer) clearTimeout(headersTimer);
      if (idleTimer) clearTimeout(idleTimer);
      req.signal?.removeEventListener('abort', onAbort);
    };
    /** ends the exchange from our side (timeout, abort): the connection cannot be reused */
    function end(kind: ErrorKind, message: string, connectPhase: boolean): void {
      if (done) return;
      done = true;
      cleanup();
      cancelConnect?.();
      conn?.abandon();
      h.onError(kind, message, monoMs(), connectPhase);
    }
    // the idle (body) timeout: one timer re-armed lazily from the last chunk's time, not on
    // every chunk (a timer per chunk costs more than the chunk)
    const armIdle = (after: number) => {
      idleTimer = setTimeout(() => {
        idleTimer = null;
        const quiet = monoMs() - lastData;
        if (quiet >= req.idleTimeoutMs - 1) end('stall', 'stream stalled: no data within the idle timeout', false);
        else armIdle(req.idleTimeoutMs - quiet);
      }, Math.max(1, after));
    };
    const ex: Exchange = {
      onHeaders(status, headers, at) {
        if (done) return;
        gotHeaders = true;
        if (headersTimer) { clearTimeout(headersTimer); headersTimer = null; }
        lastData = at;
        armIdle(req.idleTimeoutMs);
        h.onHeaders(status, headers, at);
      },
      onData(buf, s, e, at) { if (!done) { lastData = at; h.onData(buf, s, e, at); } },
      onEnd(at) { if (done) return; done = true; cleanup(); h.onEnd(at); },
      onError(err, at) {
        if (done) return;
        const code = (err as { code?: string }).code ?? '';
        // the server closed a pooled connection as we reused it: send once more on a new one
        if (!resent && conn && isIdleCloseRace(code, conn.uses > 1, conn.got)) {
          resent = true;
          conn = null;
          if (headersTimer) { clearTimeout(headersTimer); headersTimer = null; }
          h.onResent?.(at);
          connectAndSend(true);
          return;
        }
        done = true;
        cleanup();
        h.onError('network', withCode(err.message, code), at, !sent && CONNECT_ERRORS.has(code));
      },
    };
    if (req.signal?.aborted) { done = true; clearTimeout(totalTimer); h.onError('aborted', 'aborted (scenario ended or test stopped)', monoMs(), false); return { abort() {} }; }
    req.signal?.addEventListener('abort', onAbort, { once: true });

    let wire: string | Buffer;
    try {
      const body = req.body ?? '';
      const len = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
      const head = requestHead(req, len);
      wire = typeof body === 'string' ? head + body : Buffer.concat([Buffer.from(head, 'latin1'), body]);
    } catch (e) {
      done = true;
      cleanup();
      h.onError('network', (e as Error).message, monoMs(), false);
      return { abort() {} };
    }
    function connectAndSend(fresh: boolean): void {
      cancelConnect = acquire(req.url, req.connectTimeoutMs, (err, c, timing) => {
        cancelConnect = null;
        if (done) { if (c) c.abandon(); return; }
        if (err) {
          done = true;
          cleanup();
          // a connection never set up: nothing was sent (retried), unless TLS refused it
          const f = connectFailure(err, req.url.hostname);
          h.onError(f.kind, f.message, monoMs(), f.kind === 'network' || f.connect);
          return;
        }
        conn = c!;
        sent = true;
        h.onSent?.(monoMs(), timing);
        headersTimer = setTimeout(() => { headersTimer = null; if (!gotHeaders) end('timeout_headers', 'no response headers within the headers timeout', false); }, req.headersTimeoutMs);
        conn.start(ex, wire, req.method === 'HEAD');
      }, fresh);
    }
    connectAndSend(false);
    return { abort: onAbort };
  },
};
