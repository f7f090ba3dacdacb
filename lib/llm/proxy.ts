// HTTP(S) proxies from the environment, as curl, k6 and undici's EnvHttpProxyAgent read them:
// HTTPS_PROXY for https: targets, HTTP_PROXY for http: ones (upper or lower case; lower wins,
// as in curl), NO_PROXY a comma list of hosts, domains (".example.com" or "example.com": the
// domain and its subdomains), host:port, IPs, or "*" for none. Credentials in the proxy URL go in
// Proxy-Authorization and are redacted from every artifact (engine/redact.ts).
//
// Requests through a proxy go on undici's ProxyAgent (lib/llm/transport.ts): a CONNECT tunnel
// for https: targets (TLS end to end, with the run's TLS settings), the absolute-form request
// for http: ones (what curl does; no CONNECT to arbitrary ports). chat() uses undici for a
// proxied origin even under --http-client llmload (docs/METRICS.md, "Proxies").
import { runtime } from '../runtime.ts';

type Env = Record<string, string | undefined>;

function pick(env: Env, name: string): string | undefined {
  const v = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return v && v.trim() ? v.trim() : undefined;
}

/** whether NO_PROXY exempts host:port */
export function bypassed(noProxy: string | undefined, host: string, port: string): boolean {
  if (!noProxy) return false;
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  for (let e of noProxy.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean)) {
    if (e === '*') return true;
    let ePort = '';
    // host:port, or [v6]:port; a bare IPv6 address has colons but no port
    const m = /^\[(.*)\]:(\d+)$/.exec(e) ?? (e.split(':').length === 2 ? /^(.*):(\d+)$/.exec(e) : null);
    if (m) { e = m[1]!; ePort = m[2]!; }
    e = e.replace(/^\[|\]$/g, '');
    if (ePort && ePort !== port) continue;
    if (e.startsWith('*.')) e = e.slice(1);
    if (h === e.replace(/^\./, '') || (e.startsWith('.') ? h.endsWith(e) : h.endsWith('.' + e))) return true;
  }
  return false;
}

/** The proxy for `url` under `env`, or null (none set, or NO_PROXY exempts it). */
export function proxyFor(url: URL, env: Env = runtime().env): URL | null {
  const raw = url.protocol === 'https:' ? pick(env, 'https_proxy') : url.protocol === 'http:' ? pick(env, 'http_proxy') : undefined;
  if (!raw) return null;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (bypassed(pick(env, 'no_proxy'), url.hostname, port)) return null;
  try { return new URL(raw.includes('://') ? raw : `http://${raw}`); } catch { throw new Error(`invalid proxy URL in ${url.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY'}: expected e.g. http://user:pass@proxy.example.com:3128`); }
}

const cache = new Map<string, URL | null>();
let cacheEnv: unknown = null;
/** proxyFor with the run's environment, remembered per origin (a Map lookup per request) */
export function proxyForOrigin(url: URL): URL | null {
  const env = runtime().env;
  if (env !== cacheEnv) { cacheEnv = env; cache.clear(); }
  const key = url.origin;
  let p = cache.get(key);
  if (p === undefined) cache.set(key, (p = proxyFor(url, env)));
  return p;
}

/** the proxy URL without its password, for messages */
export function shownProxy(p: URL): string {
  return `${p.protocol}//${p.username ? `${decodeURIComponent(p.username)}:***@` : ''}${p.host}`;
}
