// A k6 script in the shape of the seed article's (written for these tests, not copied): sync
// http.post inside group(), JSON.parse(r.body) in checks, sleep(retryAfter) after a 429, custom
// Trend/Rate, thresholds, handleSummary returning stdout and a file, a k6-cloud distribution.
// It hard-codes a provider URL: tests run it with --redirect https://api.holysheep.ai/v1=URL.
import http from 'k6/http';
import { check, sleep, group } from 'k6';
import { Counter, Rate, Trend } from 'k6/metrics';

const latency = new Trend('article_response_time_ms');
const errors = new Rate('article_errors');
const success = new Rate('article_success');
const limited = new Counter('article_429s');

const API_BASE = 'https://api.holysheep.ai/v1';
const API_KEY = __ENV.API_KEY || 'YOUR_KEY';
const MODELS = ['gpt-4.1', 'claude-sonnet-4.5', 'gemini-2.5-flash', 'deepseek-v3.2'];

export const options = {
  vus: 2,
  duration: '3s',
  thresholds: {
    http_req_duration: ['p(95)<5000'],
    article_errors: [__ENV.ERROR_THRESHOLD || 'rate<1.01'],
    article_success: ['rate>0.2'],
  },
  ext: { loadimpact: { projectName: 'tests', distribution: { 'amazon:us:ashburn': { weight: 50 }, 'amazon:eu:frankfurt': { weight: 50 } } } },
};

export default function () {
  const headers = { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' };
  const model = MODELS[(__VU + __ITER) % MODELS.length];
  group('Chat Completion - Standard', () => {
    const t0 = Date.now();
    const r = http.post(`${API_BASE}/chat/completions`, JSON.stringify({ model, messages: [{ role: 'user', content: 'Explain REST vs GraphQL' }], max_tokens: 40 }), { headers, tags: { name: 'chat_completion' } });
    latency.add(Date.now() - t0);
    const ok = check(r, {
      'status is 200': (x) => x.status === 200,
      'has choices': (x) => { try { return JSON.parse(x.body).choices.length > 0; } catch (e) { return false; } },
      'has usage data': (x) => { try { return JSON.parse(x.body).usage !== undefined; } catch (e) { return false; } },
    });
    success.add(ok);
    errors.add(!ok);
    if (r.status === 429) {
      limited.add(1);
      const retryAfter = parseInt(r.headers['Retry-After'] || '1');
      if (!(retryAfter >= 0)) throw new Error(`Retry-After unreadable: ${JSON.stringify(r.headers)}`);
      sleep(Math.min(retryAfter, 0.3));
    }
  });
  group('Streaming Completion', () => {
    const r = http.post(`${API_BASE}/chat/completions`, JSON.stringify({ model, messages: [{ role: 'user', content: 'Explain Kubernetes' }], max_tokens: 60, stream: true }), { headers, timeout: '30s', tags: { name: 'streaming_completion' } });
    check(r, { 'stream status 200': (x) => x.status === 200 || x.status === 429, 'stream contains data': (x) => x.status !== 200 || (x.body && x.body.includes('data: ')) });
  });
  sleep(0.1);
}

export function handleSummary(data) {
  return {
    stdout: `ARTICLE SUMMARY requests=${data.metrics.http_reqs.values.count} p95=${data.metrics.http_req_duration.values['p(95)'].toFixed(1)}\n`,
    'article-summary.json': JSON.stringify({ requests: data.metrics.http_reqs.values.count, limited: data.metrics.article_429s ? data.metrics.article_429s.values.count : 0 }),
  };
}
