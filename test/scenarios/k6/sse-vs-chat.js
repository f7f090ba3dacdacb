// The same server, the same run: TTFT of a k6/x/sse stream (timed by the host as it arrives)
// and of chat() (timed in the VU thread), against a simulator with a constant 100 ms TTFT.
import sse from 'k6/x/sse';
import { check } from 'k6';
import { chat } from 'llmload/llm';

export const options = {
  scenarios: {
    sse: { executor: 'shared-iterations', vus: 4, iterations: 40, exec: 'viaSse' },
    native: { executor: 'shared-iterations', vus: 4, iterations: 40, exec: 'viaChat' },
  },
  // submetrics in thresholds put each scenario's TTFT in the summary (as in k6)
  thresholds: { 'llm_ttft{scenario:sse}': ['med>0'], 'llm_ttft{scenario:native}': ['med>0'], checks: ['rate==1'] },
};
const body = (stream) => JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hello' }], max_tokens: 50, stream, stream_options: { include_usage: true } });

export function viaSse() {
  let events = 0, done = false;
  const res = sse.open(`${__ENV.BASE_URL}/chat/completions`, { method: 'POST', body: body(true), headers: { 'Content-Type': 'application/json' }, tags: { my_tag: 'sse' } }, (client) => {
    client.on('event', (e) => { events++; if (e.data === '[DONE]') done = true; });
    client.on('error', (e) => { throw new Error(e.error()); });
  });
  check(res, { 'sse status 200': (r) => r.status === 200, 'sse saw [DONE]': () => done && events > 10 });
}

export async function viaChat() {
  const r = await chat({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hello' }], max_tokens: 50, stream: true });
  check(r, { 'chat ok': (x) => x.ok });
}
