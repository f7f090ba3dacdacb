// The seed article's k6 shape at scale (bench/k6.ts, issue #31): each VU streams one chat
// completion, checks it, then thinks 0.5–2.5 s. Written for the benchmark, not copied.
import http from 'k6/http';
import { check, sleep } from 'k6';

const URL = 'https://api.bench.invalid/v1/chat/completions';
const headers = { Authorization: `Bearer ${__ENV.API_KEY || 'bench'}`, 'Content-Type': 'application/json' };

export default function () {
  const body = JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Explain Kubernetes' }], max_tokens: 50, stream: true, stream_options: { include_usage: true } });
  const r = http.post(URL, body, { headers, timeout: '30s', tags: { name: 'streaming_completion' } });
  check(r, { 'status 200': (x) => x.status === 200 });
  sleep(0.5 + Math.random() * 2);
}
