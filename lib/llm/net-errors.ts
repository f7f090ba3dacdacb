import type { ErrorKind } from './types.ts';
import { isTlsError, tlsMessage } from './tls.ts';

// What a socket-level failure means, decided once for both transports (lib/llm/transport.ts on
// undici, lib/llm/h1 our reader): which codes say "never connected" (a connect-phase failure,
// retried by chat()), and which say "the connection died under a request the server never
// answered" (re-sent once on a fresh connection when the connection was a reused one).

/** the socket never reached the server: DNS, refused, unreachable */
export const CONNECT_ERRORS: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/** a connection closed or reset under us. On a *reused* keep-alive connection with no response
 *  byte read, this is the idle-close race (RFC 9112 §9.3.1: a client MAY retry a request on a
 *  new connection when the connection closed before any part of the response arrived; curl and
 *  browsers do), not the provider failing the request. */
export const CLOSED_ERRORS: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED', 'UND_ERR_CLOSED']);

/** Whether a failure on a reused connection before any response byte is the idle-close race. */
export function isIdleCloseRace(code: string, reused: boolean, responseBytes: number): boolean {
  return reused && responseBytes === 0 && CLOSED_ERRORS.has(code);
}

/** The kind of a failure to set up a connection (DNS, TCP, TLS), for both HTTP clients:
 *  `connect` true where nothing was sent (chat() retries those), false for TLS verdicts (the same
 *  certificate fails again). */
export function connectFailure(err: { message?: string; code?: string }, host: string): { kind: ErrorKind; message: string; connect: boolean } {
  const code = err.code ?? '';
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return { kind: 'timeout_connect', message: String(err.message), connect: true };
  if (isTlsError(code)) return { kind: 'tls', message: tlsMessage(host, err), connect: false };
  return { kind: 'network', message: withCode(String(err.message), code), connect: CONNECT_ERRORS.has(code) };
}

/** "message (CODE)" unless the message already names the code */
export function withCode(message: string, code: string): string {
  return `${message}${code && !message.includes(code) ? ` (${code})` : ''}`;
}

/** The pool key of an origin: scheme, lower-case host, port only when it is not the default
 *  (URL already drops a default port and lower-cases the host, so url.host is normal form). */
export function originKey(url: URL): string { return `${url.protocol}//${url.host}`; }
