// HTTP transport on undici's dispatch/handler API: no per-chunk promise or async iterator
// on the hot path (DESIGN.md: ~19 µs/event with dispatch vs ~42 µs with async iteration).
// Kept behind this small interface so another engine could supply its own transport.
import type { Agent, Dispatcher, ProxyAgent } from 'undici';
import { lazyRequire } from '../lazy-require.ts';
import { timedConnector, claimConnect, type ConnectTiming } from './connect-timing.ts';
import type { ErrorKind } from './types.ts';
import { monoMs } from '../clock.ts';
import { connectFailure, isIdleCloseRace } from './net-errors.ts';
import { tlsOptionsFor } from './tls.ts';
import { proxyForOrigin, shownProxy } from './proxy.ts';

export interface TransportRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | Buffer | null;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  idleTimeoutMs: number;
  totalTimeoutMs: number;
  signal?: AbortSignal;
}

export interface TransportHandlers {
  /** the request is about to be written on a connected socket (after any connect/pool wait) */
  onSent?(at: number, connect?: ConnectTiming | null): void;
  onHeaders(status: number, headers: Record<string, string>, at: number): void;
  /** body bytes buf[start, end), valid only during the call: our HTTP/1.1 reader hands over a
   *  range of the connection's read buffer (no Buffer object per read), which the next read
   *  overwrites — copy what must be kept */
  onData(buf: Buffer, start: number, end: number, at: number): void;
  onEnd(at: number): void;
  /** the server closed a reused keep-alive connection before answering (the idle-close race):
   *  the request goes out once more on a new connection, and onSent fires again for it */
  onResent?(at: number): void;
  onError(kind: ErrorKind, message: string, at: number, connectPhase: boolean): void;
}

export interface Transport {
  send(req: TransportRequest, h: TransportHandlers): { abort(): void };
  /** onData ranges are of a buffer the transport reads into again: a caller that keeps bytes
   *  past the call copies them (undici hands over a Buffer of each chunk's own) */
  readonly reusesBuffers?: boolean;
}

const undici = lazyRequire<typeof import('undici')>('undici');
/** loads undici now (a k6-mode worker, before the run starts: its first use took ~45 ms) */
export function loadUndici(): void { undici(); }
const agents = new Map<number, Agent>();
function agentFor(connectTimeoutMs: number): Agent {
  let a = agents.get(connectTimeoutMs);
  if (!a) {
    // keep-alive pool per origin; unlimited connections so VUs never queue behind each other.
    // keepAliveTimeout 4 s (undici's default) without a server hint: servers close idle
    // connections silently (uvicorn after 5 s), and the old 30 s lost requests to that race
    // (lib/llm/h1/pool.ts has the figures)
    a = new (undici().Agent)({ connect: timedConnector(connectTimeoutMs), keepAliveTimeout: 4_000, keepAliveMaxTimeout: 600_000, pipelining: 1 });
    agents.set(connectTimeoutMs, a);
  }
  return a;
}

// one ProxyAgent per proxy, TLS setting of the target host and connect timeout (lib/llm/proxy.ts)
const proxyAgents = new Map<string, Dispatcher>();
function proxyAgentFor(proxy: URL, url: URL, connectTimeoutMs: number): Dispatcher {
  const tls = tlsOptionsFor(url.hostname);
  const key = `${proxy.href}\n${url.protocol}\n${url.hostname}\n${connectTimeoutMs}`;
  let a = proxyAgents.get(key);
  if (!a) {
    // https: a CONNECT tunnel, TLS end to end with the run's settings; http: the absolute-form
    // request to the proxy (what curl does; proxies refuse CONNECT to most ports), one connection
    // per request: tinyproxy, for one, closes the client side after each response without
    // saying so, and a request reusing it got HTTP 400 (2 of 4 calls here)
    const tunnel = url.protocol === 'https:';
    const oneShot = (origin: string, o: object) => new (undici().Pool)(origin, { ...o, pipelining: 0 });
    a = new (undici().ProxyAgent)({ uri: proxy.href, requestTls: tls, proxyTls: { timeout: connectTimeoutMs }, proxyTunnel: tunnel, keepAliveTimeout: 4_000, pipelining: 1, ...(tunnel ? {} : { factory: oneShot }) } as ConstructorParameters<typeof ProxyAgent>[0]);
    proxyAgents.set(key, a);
  }
  return a;
}

/** The dispatcher for a request of the engine's own (outputs: InfluxDB, Prometheus) to `url`: a
 *  ProxyAgent when HTTP(S)_PROXY applies to it, else undefined (undici's global agent). */
export function dispatcherForUrl(url: string | URL, connectTimeoutMs = 10_000): Dispatcher | undefined {
  const u = typeof url === 'string' ? new URL(url) : url;
  const p = proxyForOrigin(u);
  return p ? proxyAgentFor(p, u, connectTimeoutMs) : undefined;
}

/** Ends undici's keep-alive pools (end of a run: no socket outlives the VU thread's work; calls
 *  still open were aborted with their iterations, so nothing is waited for). */
export function closeTransports(): Promise<void> {
  const all = [...agents.values(), ...proxyAgents.values()].map((a) => a.destroy().catch(() => {}));
  agents.clear();
  proxyAgents.clear();
  return Promise.all(all).then(() => {});
}

function classify(err: any, totalTimedOut: boolean, aborted: boolean, host: string, proxy: URL | null): { kind: ErrorKind; connect: boolean; message: string } {
  const code: string = err?.code ?? err?.cause?.code ?? '';
  if (totalTimedOut) return { kind: 'timeout_total', connect: false, message: 'total timeout exceeded' };
  if (aborted) return { kind: 'aborted', connect: false, message: 'aborted (scenario ended or test stopped)' };
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return { kind: 'timeout_headers', connect: false, message: 'no response headers within the headers timeout' };
  if (code === 'UND_ERR_BODY_TIMEOUT') return { kind: 'stall', connect: false, message: 'stream stalled: no data within the idle timeout' };
  // undici's ProxyAgent: the proxy answered the CONNECT with something other than 200 (407:
  // credentials missing or wrong; 403: the proxy's rules) — the proxy's verdict, not retried
  // (the plain-http wrapper turns a 407 answer into "Proxy Authentication Required (407)")
  const pr = /Proxy response \((\d+)\)|Proxy Authentication Required \((407)\)/.exec(String(err?.message ?? ''));
  if (pr && proxy) {
    const st = pr[1] ?? pr[2];
    return { kind: 'proxy', connect: false, message: `the proxy ${shownProxy(proxy)} refused ${pr[1] ? 'the tunnel' : 'the request'} to ${host}: HTTP ${st}${st === '407' ? ' (Proxy Authentication Required)' : ''}${st === '407' || st === '401' ? `: check the credentials in ${pr[1] ? 'HTTPS_PROXY' : 'HTTP_PROXY'}` : ''}` };
  }
  return connectFailure({ message: err?.message ?? String(err), code }, host);
}

/** undici's header object (parseHeaders: names lower-cased, values strings, or arrays for a
 * repeated header) with repeated headers joined, in place: no second ~15-key object per
 * request to keep alive until the stream ends (at 1,000 open streams the scavenger copies
 * what every request keeps) */
function flatHeaders(h: Record<string, string | string[]>): Record<string, string> {
  for (const k in h) { const v = h[k]; if (Array.isArray(v)) h[k] = v.join(', '); }
  return h as Record<string, string>;
}

export const undiciTransport: Transport = {
  send(req, h) {
    let done = false;
    let totalTimedOut = false;
    let aborted = false;
    let controller: Dispatcher.DispatchController | null = null;
    let resent = false;
    // the connection this try got was a pooled one (no connect stamped for it), and how many
    // response bytes it read: together they tell the idle-close race (../net-errors.ts)
    let reused = false;
    let got = 0;
    let fresh: Dispatcher | null = null;
    const queuedAt = monoMs();
    let proxy: URL | null;
    try { proxy = proxyForOrigin(req.url); } catch (e) { h.onError('proxy', (e as Error).message, monoMs(), false); return { abort() {} }; }
    const fail = (err: unknown) => {
      if (done) return;
      const code: string = (err as any)?.code ?? (err as any)?.cause?.code ?? '';
      // through a proxy no connect is stamped (ProxyAgent connects itself), so reuse is unknown:
      // no re-send there
      if (!resent && !proxy && !totalTimedOut && !aborted && isIdleCloseRace(code, reused, got)) {
        // undici does not re-send a POST; we do, once, on a connection of its own (a Client
        // closed after the exchange), so it cannot meet another stale pooled socket
        resent = true;
        controller = null;
        h.onResent?.(monoMs());
        fresh = new (undici().Client)(req.url.origin, { connect: timedConnector(req.connectTimeoutMs), pipelining: 1 });
        dispatchOn(fresh);
        return;
      }
      done = true;
      cleanup();
      const c = classify(err, totalTimedOut, aborted, req.url.hostname, proxy);
      h.onError(c.kind, c.message, monoMs(), c.connect);
    };
    const abortNow = (why: 'total' | 'abort') => {
      if (done) return;
      if (why === 'total') totalTimedOut = true; else aborted = true;
      const e = new Error(why === 'total' ? 'total timeout' : 'aborted');
      if (controller) controller.abort(e); else fail(e);
    };
    const totalTimer = setTimeout(() => abortNow('total'), req.totalTimeoutMs);
    const onAbort = () => abortNow('abort');
    req.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = () => {
      clearTimeout(totalTimer);
      req.signal?.removeEventListener('abort', onAbort);
      if (fresh) { const f = fresh; fresh = null; f.close().catch(() => {}); }
    };
    if (req.signal?.aborted) { aborted = true; fail(new Error('aborted')); return { abort() {} }; }

    function dispatchOn(d: Dispatcher): void {
      got = 0;
      d.dispatch({
        origin: req.url.origin,
        path: req.url.pathname + req.url.search,
        method: req.method as Dispatcher.HttpMethod,
        headers: req.headers,
        body: req.body,
        headersTimeout: req.headersTimeoutMs,
        bodyTimeout: req.idleTimeoutMs,
      }, {
        onRequestStart(c: Dispatcher.DispatchController) {
          controller = c;
          if (aborted || totalTimedOut) { c.abort(new Error('aborted')); return; }
          const timing = claimConnect(req.url, queuedAt);
          reused = timing === null;
          h.onSent?.(monoMs(), timing);
        },
        onResponseStart(_c: unknown, status: number, headers: Record<string, string | string[] | undefined>) {
          got++;
          if (status < 200 && status !== 101) return; // 1xx informational
          h.onHeaders(status, flatHeaders(headers as Record<string, string | string[]>), monoMs());
        },
        onResponseData(_c: unknown, chunk: Buffer) { if (!done) h.onData(chunk, 0, chunk.length, monoMs()); },
        onResponseEnd() { if (done) return; done = true; cleanup(); h.onEnd(monoMs()); },
        onResponseError(_c: unknown, err: Error) { fail(err); },
      } as never);
    }
    dispatchOn(proxy ? proxyAgentFor(proxy, req.url, req.connectTimeoutMs) : agentFor(req.connectTimeoutMs));
    return { abort: () => abortNow('abort') };
  },
};
