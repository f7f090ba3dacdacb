// Per-key token buckets for requests per minute and tokens per minute, with the headers
// real providers send (OpenAI x-ratelimit-*, Anthropic anthropic-ratelimit-*).
export interface Bucket { cap: number; tokens: number; last: number }

export class Limiter {
  private buckets = new Map<string, { req?: Bucket; tok?: Bucket }>();
  constructor(private rpm: number | undefined, private tpm: number | undefined) {}

  private refill(b: Bucket, now: number): void {
    b.tokens = Math.min(b.cap, b.tokens + ((now - b.last) * b.cap) / 60_000);
    b.last = now;
  }

  /** Tries to take one request and `tokens` tokens for `key`; reports limits either way. */
  take(key: string, tokens: number, now: number): LimitResult {
    let e = this.buckets.get(key);
    if (!e) {
      e = {};
      if (this.rpm) e.req = { cap: this.rpm, tokens: this.rpm, last: now };
      if (this.tpm) e.tok = { cap: this.tpm, tokens: this.tpm, last: now };
      this.buckets.set(key, e);
    }
    if (e.req) this.refill(e.req, now);
    if (e.tok) this.refill(e.tok, now);
    const reqShort = e.req && e.req.tokens < 1 ? ((1 - e.req.tokens) * 60_000) / e.req.cap : 0;
    const tokShort = e.tok && e.tok.tokens < Math.min(tokens, e.tok.cap) ? ((Math.min(tokens, e.tok.cap) - e.tok.tokens) * 60_000) / e.tok.cap : 0;
    const ok = reqShort === 0 && tokShort === 0;
    if (ok) { if (e.req) e.req.tokens -= 1; if (e.tok) e.tok.tokens -= tokens; }
    const info = (b: Bucket | undefined) => (b ? { limit: b.cap, remaining: Math.max(0, Math.floor(b.tokens)), resetMs: ((b.cap - b.tokens) * 60_000) / b.cap } : undefined);
    return { ok, retryAfterMs: Math.ceil(Math.max(reqShort, tokShort)), which: reqShort >= tokShort ? 'requests' : 'tokens', req: info(e.req), tok: info(e.tok) };
  }
}

export interface LimitInfo { limit: number; remaining: number; resetMs: number }
export interface LimitResult { ok: boolean; retryAfterMs: number; which: 'requests' | 'tokens'; req?: LimitInfo; tok?: LimitInfo }

/** OpenAI's reset format: "20ms", "1.2s", "6m0s". */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const s = ms / 1000;
  if (s < 60) return `${+s.toFixed(3)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${+(s - m * 60).toFixed(3)}s`;
}

export function limitHeaders(r: LimitResult, anthropic: boolean, wallNow: number): Record<string, string> {
  const h: Record<string, string> = {};
  const iso = (ms: number) => new Date(wallNow + ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (r.req) {
    if (anthropic) Object.assign(h, { 'anthropic-ratelimit-requests-limit': String(r.req.limit), 'anthropic-ratelimit-requests-remaining': String(r.req.remaining), 'anthropic-ratelimit-requests-reset': iso(r.req.resetMs) });
    else Object.assign(h, { 'x-ratelimit-limit-requests': String(r.req.limit), 'x-ratelimit-remaining-requests': String(r.req.remaining), 'x-ratelimit-reset-requests': goDuration(r.req.resetMs) });
  }
  if (r.tok) {
    if (anthropic) Object.assign(h, { 'anthropic-ratelimit-tokens-limit': String(r.tok.limit), 'anthropic-ratelimit-tokens-remaining': String(r.tok.remaining), 'anthropic-ratelimit-tokens-reset': iso(r.tok.resetMs) });
    else Object.assign(h, { 'x-ratelimit-limit-tokens': String(r.tok.limit), 'x-ratelimit-remaining-tokens': String(r.tok.remaining), 'x-ratelimit-reset-tokens': goDuration(r.tok.resetMs) });
  }
  if (!r.ok) {
    h['retry-after'] = String(Math.max(1, Math.ceil(r.retryAfterMs / 1000)));
    h['retry-after-ms'] = String(r.retryAfterMs);
  }
  return h;
}
