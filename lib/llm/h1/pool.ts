// Keep-alive connections per origin for the HTTP/1.1 reader: one request per connection at a
// time (no pipelining), idle connections reused newest first, a new connection whenever none
// is idle (VUs never queue behind each other, as with the undici Agent it replaces). Knows
// exactly which connection a request got, so connect/TLS phases need no FIFO pairing.
import net from 'node:net';
import tls from 'node:tls';
import { Connection } from './connection.ts';
import type { ConnectTiming } from '../connect-timing.ts';
import { monoMs } from '../../clock.ts';
import { originKey } from '../net-errors.ts';
import { tlsOptionsFor, isTlsError } from '../tls.ts';

// Without a server hint, an idle connection is kept at most 4 s (undici's default
// keepAliveTimeout): servers close idle connections without saying so — uvicorn after 5 s,
// Node's http server after its keepAliveTimeout — and a request written as the server closes
// dies unanswered (issue #28 measured 2–7 errors in 35 requests with 30 s here). With a hint
// (`Keep-Alive: timeout=5`, Node's default) it is dropped 1 s before the server would close it.
// What still races (a server closing sooner than 4 s with no hint) is re-sent once on a fresh
// connection by the transport (./transport.ts, ../net-errors.ts).
export const DEFAULT_KEEPALIVE_MS = 4_000;
const HINT_MARGIN_MS = 1_000;

const idle = new Map<string, Connection[]>();
// the last TLS session per origin: a new connection resumes it (an abbreviated handshake, one
// round trip less), as undici's connector does with its session cache
const sessions = new Map<string, Buffer>();

export type Acquired = (err: (Error & { code?: string }) | null, conn: Connection | null, connect: ConnectTiming | null) => void;

/** A connection to url's origin: an idle one now (unless `fresh`), or a new one when connected.
 *  Returns a cancel function (closes a connection still being set up). */
export function acquire(url: URL, connectTimeoutMs: number, cb: Acquired, fresh = false): () => void {
  const key = originKey(url);
  const list = fresh ? undefined : idle.get(key);
  if (list) {
    const now = monoMs();
    while (list.length) {
      const c = list.pop()!;
      const life = c.keepAliveMs > 0 ? c.keepAliveMs - HINT_MARGIN_MS : DEFAULT_KEEPALIVE_MS;
      // closed: the server's FIN or RST seen while idle (Connection listens on idle sockets too)
      if (c.closed || c.socket.destroyed || now - c.idleSince > life) { c.destroy(); continue; }
      c.socket.ref();
      cb(null, c, null);
      return () => {};
    }
  }
  const isTls = url.protocol === 'https:';
  const c = isTls ? new Connection(key) : new Connection(key).withReadBuffer();
  c.release = release;
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = Number(url.port) || (isTls ? 443 : 80);
  const start = monoMs();
  let tcp = 0;
  let settled = false;
  const sock = isTls
    ? tls.connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }), ALPNProtocols: ['http/1.1'], ...tlsOptionsFor(host), ...(sessions.has(key) ? { session: sessions.get(key) } : {}) })
    : net.connect({ host, port, onread: { buffer: c.buf, callback: c.onread } } as net.NetConnectOpts);
  if (isTls) sock.on('session', (s: Buffer) => sessions.set(key, s));
  const done = (err: (Error & { code?: string }) | null) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    sock.off('error', done);
    if (err) {
      sock.destroy();
      if (isTls && isTlsError(err.code ?? '')) { sessions.delete(key); (err as { tls?: boolean }).tls = true; }
      cb(err, null, null);
      return;
    }
    sock.setNoDelay(true);
    // TCP keepalive probes: a peer that vanished (NAT timeout, a dead gateway) is noticed on an
    // idle pooled connection instead of by the next request written on it
    sock.setKeepAlive(true, 30_000);
    c.attach(sock, isTls);
    const end = monoMs();
    // tcp is stamped by the socket's 'connect' event, which always precedes done(null)
    cb(null, c, { start, tcp, tls: isTls ? end : null });
  };
  const timer = setTimeout(() => done(Object.assign(new Error(`connect timeout after ${connectTimeoutMs} ms`), { code: 'UND_ERR_CONNECT_TIMEOUT' })), connectTimeoutMs);
  sock.once('connect', () => { tcp = monoMs(); if (!isTls) done(null); });
  if (isTls) sock.once('secureConnect', () => done(null));
  sock.once('error', done);
  return () => { if (!settled) { settled = true; clearTimeout(timer); sock.destroy(); } };
}

function release(c: Connection): void {
  if (c.closed) return;
  let list = idle.get(c.key);
  if (!list) idle.set(c.key, (list = []));
  // an idle connection does not keep the thread alive (a run ends when its work does)
  c.socket.unref();
  list.push(c);
}

/** Closes every idle connection (end of run). */
export function closeIdle(): void {
  for (const list of idle.values()) for (const c of list) c.destroy();
  idle.clear();
}
