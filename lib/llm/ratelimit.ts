// Rate-limit headers: OpenAI-style x-ratelimit-* (durations like "6m0s", "1m6.5s", "20ms")
// and Anthropic's anthropic-ratelimit-* (RFC 3339 reset times). Pure functions.
export type Headers = Record<string, string | undefined>;

/** Go-style duration as OpenAI sends it ("6m0s", "1m6.5s", "1.2s", "17ms") → ms. */
export function parseResetDuration(s: string): number | null {
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/y;
  let pos = 0, total = 0;
  const str = s.trim();
  if (!str) return null;
  if (/^\d+(\.\d+)?$/.test(str)) return Number(str) * 1000; // bare seconds
  while (pos < str.length) {
    re.lastIndex = pos;
    const m = re.exec(str);
    if (!m) return null;
    total += Number(m[1]) * ({ h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as Record<string, number>)[m[2]!]!;
    pos = re.lastIndex;
  }
  return total;
}

export interface RateLimitInfo {
  limitRequests?: number; remainingRequests?: number; resetRequestsMs?: number;
  limitTokens?: number; remainingTokens?: number; resetTokensMs?: number;
}

const num = (v: string | undefined) => (v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

/** Reads whichever header style the response has into one shape (for gauges). */
export function parseRateLimit(h: Headers, serverNowMs: number): RateLimitInfo {
  const out: RateLimitInfo = {};
  if (h['x-ratelimit-limit-requests'] !== undefined || h['x-ratelimit-remaining-requests'] !== undefined) {
    out.limitRequests = num(h['x-ratelimit-limit-requests']);
    out.remainingRequests = num(h['x-ratelimit-remaining-requests']);
    const r = h['x-ratelimit-reset-requests'];
    if (r) out.resetRequestsMs = parseResetDuration(r) ?? undefined;
  }
  if (h['x-ratelimit-limit-tokens'] !== undefined || h['x-ratelimit-remaining-tokens'] !== undefined) {
    out.limitTokens = num(h['x-ratelimit-limit-tokens']);
    out.remainingTokens = num(h['x-ratelimit-remaining-tokens']);
    const r = h['x-ratelimit-reset-tokens'];
    if (r) out.resetTokensMs = parseResetDuration(r) ?? undefined;
  }
  const a = (k: string) => h[`anthropic-ratelimit-${k}`];
  if (a('requests-limit') !== undefined) {
    out.limitRequests = num(a('requests-limit'));
    out.remainingRequests = num(a('requests-remaining'));
    const r = a('requests-reset');
    if (r) out.resetRequestsMs = Math.max(0, Date.parse(r) - serverNowMs);
  }
  if (a('tokens-limit') !== undefined) {
    out.limitTokens = num(a('tokens-limit'));
    out.remainingTokens = num(a('tokens-remaining'));
    const r = a('tokens-reset');
    if (r) out.resetTokensMs = Math.max(0, Date.parse(r) - serverNowMs);
  }
  return out;
}

/**
 * The server's hint for how long to wait before retrying, or null when it gives none
 * (test/fixtures/wire/README.md): retry-after-ms; else retry-after (seconds or an HTTP date,
 * measured against the response's Date header so client clock skew does not matter); else
 * the largest reset among the exhausted limits (remaining = 0). A past time gives 0.
 */
export function retryAfterMs(h: Headers, localNowMs = Date.now()): number | null {
  const ms = h['retry-after-ms'];
  if (ms !== undefined && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const base = h.date ? Date.parse(h.date) : NaN;
  const now = Number.isFinite(base) ? base : localNowMs;
  const ra = h['retry-after'];
  if (ra !== undefined && ra.trim() !== '') {
    if (/^\s*\d+(\.\d+)?\s*$/.test(ra)) return Math.max(0, Number(ra) * 1000);
    const t = Date.parse(ra);
    if (Number.isFinite(t)) return Math.max(0, t - now);
  }
  let best: number | null = null;
  const consider = (v: number | null) => { if (v !== null && Number.isFinite(v)) best = Math.max(best ?? 0, Math.max(0, v)); };
  for (const k of ['requests', 'tokens']) {
    if (h[`x-ratelimit-remaining-${k}`] === '0' && h[`x-ratelimit-reset-${k}`]) consider(parseResetDuration(h[`x-ratelimit-reset-${k}`]!));
  }
  for (const k of ['requests', 'tokens', 'input-tokens', 'output-tokens']) {
    const rem = h[`anthropic-ratelimit-${k}-remaining`];
    const reset = h[`anthropic-ratelimit-${k}-reset`];
    if (rem === '0' && reset) { const t = Date.parse(reset); if (Number.isFinite(t)) consider(t - now); }
  }
  return best;
}
