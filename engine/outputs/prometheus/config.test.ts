import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePromRwTarget, PROMETHEUS_RW_DEFAULT_URL } from './index.ts';

test("k6's K6_PROMETHEUS_RW_* settings: URL, push interval, trend stats, native histograms, auth, headers", () => {
  const d = parsePromRwTarget('experimental-prometheus-rw', '', {});
  assert.equal(d.url, PROMETHEUS_RW_DEFAULT_URL);
  assert.equal(d.pushMs, 5000);
  assert.deepEqual(d.trendStats.map((s) => s.suffix), ['p50', 'p95', 'p99']);
  assert.equal(d.native, false);
  assert.equal(d.prefix, 'k6_');
  const c = parsePromRwTarget('experimental-prometheus-rw', '', {
    K6_PROMETHEUS_RW_SERVER_URL: 'https://mimir.example:9009/api/v1/push', K6_PROMETHEUS_RW_PUSH_INTERVAL: '10s', K6_PROMETHEUS_RW_TREND_STATS: 'p(99),avg,max',
    K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true', K6_PROMETHEUS_RW_USERNAME: 'u', K6_PROMETHEUS_RW_PASSWORD: 'p',
    K6_PROMETHEUS_RW_HTTP_HEADERS: 'X-Scope-OrgID:tenant1, X-Env:ci', K6_PROMETHEUS_RW_HEADERS_X_TEAM: 'llm',
  });
  assert.equal(c.url, 'https://mimir.example:9009/api/v1/push');
  assert.equal(c.pushMs, 10_000);
  assert.deepEqual(c.trendStats.map((s) => s.suffix), ['p99', 'avg', 'max']);
  assert.equal(c.native, true);
  assert.equal(c.headers.authorization, `Basic ${Buffer.from('u:p').toString('base64')}`);
  assert.equal(c.headers['x-scope-orgid'], 'tenant1');
  assert.equal(c.headers['x-env'], 'ci');
  assert.equal(c.headers['x_team'], 'llm');
  // the --out target wins over the variable; bearer auth
  const b = parsePromRwTarget('prometheus-rw', 'http://127.0.0.1:9090/api/v1/write', { K6_PROMETHEUS_RW_SERVER_URL: 'http://other', K6_PROMETHEUS_RW_BEARER_TOKEN: 'tok' });
  assert.equal(b.url, 'http://127.0.0.1:9090/api/v1/write');
  assert.equal(b.headers.authorization, 'Bearer tok');
  assert.throws(() => parsePromRwTarget('x', '', { K6_PROMETHEUS_RW_BEARER_TOKEN: 't', K6_PROMETHEUS_RW_USERNAME: 'u' }), /either K6_PROMETHEUS_RW_BEARER_TOKEN or K6_PROMETHEUS_RW_USERNAME\/PASSWORD/);
  assert.throws(() => parsePromRwTarget('x', '', { K6_PROMETHEUS_RW_HTTP_HEADERS: 'novalue' }), /use name:value pairs/);
  assert.throws(() => parsePromRwTarget('x', '', { K6_PROMETHEUS_RW_PREFIX: '9bad' }), /invalid K6_PROMETHEUS_RW_PREFIX/);
});
