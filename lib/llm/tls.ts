// TLS settings for every connection a run makes (chat() on either HTTP client, k6/http): k6's
// `insecureSkipTLSVerify` and `tlsAuth` options, and a CA bundle added to Node's roots
// (`--tls-ca FILE`, resolved into options.llm.tlsCa by engine/run/settings.ts; Node's own
// NODE_EXTRA_CA_CERTS works too). Read from the run's options in each thread, per host once.
import { rootCertificates } from 'node:tls';
import { runtime } from '../runtime.ts';

export interface TlsAuth { domains: string[]; cert: string; key: string; password?: string }
export interface TlsConnectOptions { rejectUnauthorized: boolean; ca?: string[]; cert?: string; key?: string; passphrase?: string }

let seen: unknown = null;
const byHost = new Map<string, TlsConnectOptions>();

/** k6's domain match: an exact host, or "*.example.com" for its subdomains */
export function domainMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase(), h = host.toLowerCase();
  return p.startsWith('*.') ? h.endsWith(p.slice(1)) && h.length > p.length - 1 : p === h;
}

/** The connect options for a TLS connection to `host` under the run's settings. */
export function tlsOptionsFor(host: string): TlsConnectOptions {
  const o = runtime().options as { insecureSkipTLSVerify?: boolean; tlsAuth?: TlsAuth[]; llm?: { tlsCa?: string } };
  if (o !== seen) { seen = o; byHost.clear(); }
  let t = byHost.get(host);
  if (t) return t;
  t = { rejectUnauthorized: o.insecureSkipTLSVerify !== true };
  // `ca` replaces Node's roots: the bundle is added to them, as NODE_EXTRA_CA_CERTS does
  if (o.llm?.tlsCa) t.ca = [...rootCertificates, o.llm.tlsCa];
  const auth = o.tlsAuth?.find((a) => a.domains.some((d) => domainMatches(d, host)));
  if (auth) { t.cert = auth.cert; t.key = auth.key; if (auth.password) t.passphrase = auth.password; }
  byHost.set(host, t);
  return t;
}

/** OpenSSL's certificate verdicts and handshake failures: the peer could not be trusted (or
 *  would not trust us). Not a network fault and not retried: the same certificate fails again. */
const CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_REVOKED', 'CERT_UNTRUSTED', 'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE', 'INVALID_CA', 'ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH',
]);
export function isTlsError(code: string): boolean {
  return CERT_CODES.has(code) || code.startsWith('ERR_SSL_') || code === 'ERR_TLS_HANDSHAKE_TIMEOUT' || code === 'EPROTO';
}

/** one line: which host, and why, and what to do */
export function tlsMessage(host: string, err: { message?: string; code?: string }): string {
  const why = `${err.message ?? err}${err.code && !String(err.message).includes(err.code) ? ` (${err.code})` : ''}`;
  const fix = err.code && CERT_CODES.has(err.code)
    ? 'trust its CA with --tls-ca FILE (or NODE_EXTRA_CA_CERTS), or skip verification with --insecure-skip-tls-verify'
    : 'check the server\'s TLS setup, and tlsAuth if it asks for a client certificate';
  return `TLS handshake with ${host} failed: ${why}; ${fix}`;
}
