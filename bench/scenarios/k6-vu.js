// k6 mode at scale (bench/k6.ts): each VU streams one chat completion, then thinks for 1 s.
import http from 'k6/http';
import { sleep } from 'k6';
export default function () {
  http.post('https://api.bench.invalid/v1/chat/completions', JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hello' }], max_tokens: 50, stream: true, stream_options: { include_usage: true } }), { headers: { 'Content-Type': 'application/json' } });
  sleep(1);
}
