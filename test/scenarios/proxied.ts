// chat() calls and one k6/http request to BASE_URL, for the proxy test (test/proxy.test.ts):
// both kinds of request must go through HTTP(S)_PROXY.
import { check } from 'llmload';
import http from 'k6/http';
import { chat } from 'llmload/llm';

export const options = { scenarios: { p: { executor: 'per-vu-iterations', vus: 1, iterations: Number(__ENV.ITERATIONS ?? 4) } } };

let told = false;
export default async function () {
  const res = await chat({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5, stream: true });
  check(res, { ok: (r) => r.ok });
  if (!res.ok && !told) { told = true; console.log(`CALL FAILED ${res.error?.kind}: ${res.error?.message}`); }
  if (__ITER === 0 && __ENV.MODELS_URL) await http.asyncRequest('GET', __ENV.MODELS_URL);
}
