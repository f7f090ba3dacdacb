// Connection set-up times for k6's phase metrics (http_req_connecting, http_req_tls_handshaking,
// http_req_blocked). undici's handler API does not say which socket a request got, so the
// connector below stamps each new connection (TCP connect, TLS done) and files it under its
// origin; the transport hands the oldest unclaimed one that finished after a request was queued
// to that request when it starts writing (FIFO per origin). With one request per connection
// (pipelining 1) and an idle pool, the request that caused a connect is the one undici writes
// first on it, so the pairing is exact; under contention it may credit a neighbour that was
// queued at the same moment, which moves no total (docs/METRICS.md).
import type { buildConnector } from 'undici';
import { lazyRequire } from '../lazy-require.ts';

const undici = lazyRequire<typeof import('undici')>('undici');
import type { Socket } from 'node:net';
import { monoMs } from '../clock.ts';
import { originKey } from './net-errors.ts';
import { tlsOptionsFor } from './tls.ts';

export interface ConnectTiming {
  /** the connector was asked for a socket */
  start: number;
  /** TCP connected */
  tcp: number;
  /** TLS handshake done (null for plain http) */
  tls: number | null;
}

const KEEP_MS = 10_000;
const byOrigin = new Map<string, ConnectTiming[]>();

/** the connector's origin in the pool's key form (../net-errors.ts): undici hands over the URL's
 *  own protocol, hostname (bracketed for IPv6) and port */
function connectorOrigin(protocol: string, hostname: string, port: string | number | undefined): string {
  return originKey(new URL(`${protocol}//${hostname}${port ? ':' + port : ''}`));
}

export function timedConnector(timeoutMs: number): buildConnector.connector {
  // one undici connector per distinct TLS setting (lib/llm/tls.ts: per host, from the run's
  // options); each keeps its own TLS session cache
  const inners = new Map<unknown, buildConnector.connector>();
  const innerFor = (host: string) => {
    const t = tlsOptionsFor(host);
    let c = inners.get(t);
    if (!c) inners.set(t, (c = undici().buildConnector({ timeout: timeoutMs, ...t, keepAlive: true, keepAliveInitialDelay: 30_000 } as buildConnector.BuildOptions)));
    return c;
  };
  return (opts, cb) => {
    const start = monoMs();
    let tcp = 0;
    const inner = innerFor(opts.hostname.replace(/^\[|\]$/g, ''));
    const sock = (inner as unknown as (o: buildConnector.Options, c: buildConnector.Callback) => Socket | undefined)(opts, (err, s) => {
      if (!err) {
        const end = monoMs();
        const rec: ConnectTiming = { start, tcp: tcp || end, tls: opts.protocol === 'https:' ? end : null };
        const key = connectorOrigin(opts.protocol, opts.hostname, opts.port);
        let q = byOrigin.get(key);
        if (!q) byOrigin.set(key, (q = []));
        q.push(rec);
        // unclaimed records (a connection nobody's timing asked for) age out
        while (q.length && q[0]!.start < end - KEEP_MS) q.shift();
      }
      (cb as (...a: unknown[]) => void)(err, s);
    });
    sock?.once?.('connect', () => { tcp = monoMs(); });
  };
}

/** The connection set up for a request queued at `since` on this origin, if any. */
export function claimConnect(url: URL, since: number): ConnectTiming | null {
  if (byOrigin.size === 0) return null;
  const q = byOrigin.get(originKey(url));
  if (!q || q.length === 0) return null;
  for (let i = 0; i < q.length; i++) {
    if (q[i]!.start >= since - 1) return q.splice(i, 1)[0]!;
  }
  return null;
}
