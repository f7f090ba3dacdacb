// Retry waits: the server's hint when it gives one, else exponential backoff with full
// jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): wait = U(0, min(cap,
// base·2^attempt)). The seed's "common error 2" retried everyone at once; jitter spreads them.
export interface RetryPolicy { maxRetries: number; baseMs: number; capMs: number }
export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 5, baseMs: 500, capMs: 60_000 };

/** attempt: 0 for the first retry. rand: [0,1). */
export function backoffMs(attempt: number, p: RetryPolicy, rand: () => number = Math.random): number {
  const ceiling = Math.min(p.capMs, p.baseMs * 2 ** attempt);
  return Math.floor(rand() * ceiling);
}

/**
 * How long to wait before retry `attempt`, or null when no retry should happen: retries
 * used up, or the wait would end past the scenario's deadline (never sleep past the end).
 * A server hint is honoured (capped at capMs) plus up to 10 % jitter (≤ 1 s), so clients
 * told the same Retry-After do not all return in the same millisecond.
 */
export function retryWait(attempt: number, hintMs: number | null, p: RetryPolicy, nowMs: number, deadlineMs: number, rand: () => number = Math.random): number | null {
  if (attempt >= p.maxRetries) return null;
  const wait = hintMs !== null ? Math.min(hintMs, p.capMs) + Math.floor(rand() * Math.min(1000, hintMs * 0.1)) : backoffMs(attempt, p, rand);
  if (nowMs + wait >= deadlineMs) return null;
  return wait;
}
