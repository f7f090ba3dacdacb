import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyHttpError } from './errors.ts';
import { errorCases } from '../../test/wire-fixtures.ts';
import { parseResetDuration, parseRateLimit } from './ratelimit.ts';
import { backoffMs, retryWait, DEFAULT_RETRY } from './backoff.ts';

test('every error fixture maps to its kind, retry and wait', () => {
  const cases = errorCases();
  assert.ok(cases.length >= 10);
  for (const c of cases) {
    // a local clock far from the server's proves the Date header is the reference
    const r = classifyHttpError(c.meta.status, c.meta.headers, c.meta.body, Date.parse('2030-01-01T00:00:00Z'));
    assert.equal(r.kind, c.meta.expect.kind, c.name);
    assert.equal(r.retry, c.meta.expect.retry, `${c.name} retry`);
    assert.equal(r.retryAfterMs, c.meta.expect.retry_after_ms, `${c.name} wait`);
    assert.ok(r.message.includes(c.meta.expect.message_contains), `${c.name}: "${r.message}"`);
  }
});

test('reset durations', () => {
  assert.equal(parseResetDuration('6m0s'), 360_000);
  assert.equal(parseResetDuration('1m6.5s'), 66_500);
  assert.equal(parseResetDuration('20ms'), 20);
  assert.equal(parseResetDuration('1.2s'), 1200);
  assert.equal(parseResetDuration('soon'), null);
  const info = parseRateLimit({ 'x-ratelimit-limit-requests': '500', 'x-ratelimit-remaining-requests': '12', 'x-ratelimit-reset-requests': '6m0s' }, 0);
  assert.deepEqual(info, { limitRequests: 500, remainingRequests: 12, resetRequestsMs: 360_000 });
});

test('full-jitter backoff stays within [0, min(cap, base·2^n))', () => {
  const p = { maxRetries: 10, baseMs: 100, capMs: 5000 };
  for (let a = 0; a < 10; a++) {
    assert.equal(backoffMs(a, p, () => 0), 0);
    assert.equal(backoffMs(a, p, () => 0.999999), Math.floor(0.999999 * Math.min(5000, 100 * 2 ** a)));
  }
  // spread: 10k draws at attempt 3 cover the range roughly uniformly
  let lo = 0;
  for (let i = 0; i < 10_000; i++) if (backoffMs(3, p) < 400) lo++;
  assert.ok(lo > 4500 && lo < 5500, `${lo}`);
});

test('retryWait honours hints, retry limits and the deadline', () => {
  assert.equal(retryWait(5, null, DEFAULT_RETRY, 0, 1e9), null);
  assert.equal(retryWait(0, 2000, DEFAULT_RETRY, 0, 1e9, () => 0), 2000);
  assert.equal(retryWait(0, 2000, DEFAULT_RETRY, 0, 1e9, () => 0.5), 2100);
  assert.equal(retryWait(0, 2000, DEFAULT_RETRY, 0, 1500, () => 0), null, 'never sleeps past the end');
  assert.equal(retryWait(0, 120_000, DEFAULT_RETRY, 0, 1e9, () => 0), 60_000, 'capped');
});
