import { check } from 'llmload';
import { chat } from 'llmload/llm';

export const options = {
  scenarios: { once: { executor: 'shared-iterations', vus: 2, iterations: 6 } },
  thresholds: { llm_ttft: ['p(95)<5000'], llm_errors: ['rate<0.5'] },
};

export default async function () {
  const stream = __ITER % 2 === 0;
  const res = await chat({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Explain load testing' }], max_tokens: 50, stream });
  check(res, { 'ok': (r) => r.ok, 'has content': (r) => r.content.length > 0 });
}
