// The same open-model load for every provider of a comparison (PROVIDERS=a,b clones it per
// provider): RATE requests per second for DURATION, streamed.
import { check } from 'llmload';
import { chat } from 'llmload/llm';

export const options = {
  scenarios: { load: { executor: 'constant-arrival-rate', rate: Number(__ENV.RATE ?? 10), duration: __ENV.DURATION ?? '8s', preAllocatedVUs: 40, maxVUs: 80 } },
};

export default async function () {
  const r = await chat({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Compare REST and GraphQL' }], max_tokens: 64, stream: true }, { retry: false });
  check(r, { answered: (x) => x.ok });
}
