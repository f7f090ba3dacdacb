// The closed error taxonomy (docs/METRICS.md, "Errors"): every failed request lands in
// exactly one kind. HTTP statuses map per test/fixtures/wire/README.md.
import type { ErrorKind, LlmError } from './types.ts';
import { retryAfterMs, type Headers } from './ratelimit.ts';

export const RETRYABLE: ReadonlySet<ErrorKind> = new Set<ErrorKind>(['rate_limited', 'overloaded', 'server', 'timeout_connect']);

export function kindForStatus(status: number, body: string): ErrorKind {
  if (status === 429) return /insufficient_quota/.test(codeOrType(body)) ? 'quota' : 'rate_limited';
  if (status === 402) return 'quota';
  if (status === 401 || status === 403) return 'auth';
  if (status === 400 || status === 413 || status === 422) return 'bad_request';
  if (status === 404) return 'not_found';
  // 407: the proxy (HTTP_PROXY) wants credentials it did not get: not the provider, not retried
  if (status === 407) return 'proxy';
  if (status === 503 || status === 529) return 'overloaded';
  // 408: the server gave up waiting for the request; a server-side failure that the providers'
  // own SDKs retry
  if (status === 408) return 'server';
  if (status >= 500) return 'server';
  return 'bad_request';
}

function codeOrType(body: string): string {
  try {
    const o = JSON.parse(body);
    return `${o?.error?.code ?? ''} ${o?.error?.type ?? ''}`;
  } catch { return ''; }
}

/** The provider's message: JSON error.message (OpenAI, Anthropic, OpenRouter) or an HTML title. */
export function errorMessage(body: string, status: number): string {
  try {
    const o = JSON.parse(body);
    const m = o?.error?.message ?? o?.message ?? o?.detail ?? (typeof o?.error === 'string' ? o.error : undefined);
    if (m) return String(m);
  } catch { /* not JSON */ }
  const t = /<title>([^<]*)<\/title>/i.exec(body);
  if (t) return t[1]!.trim();
  const text = body.trim().slice(0, 200);
  return text || `HTTP ${status}`;
}

export interface HttpErrorInfo extends LlmError { retry: boolean; retryAfterMs: number | null }

export function classifyHttpError(status: number, headers: Headers, body: string, localNowMs = Date.now()): HttpErrorInfo {
  const kind = kindForStatus(status, body);
  const retry = RETRYABLE.has(kind);
  return { kind, status, message: errorMessage(body, status), retry, retryAfterMs: retry ? retryAfterMs(headers, localNowMs) : null };
}
