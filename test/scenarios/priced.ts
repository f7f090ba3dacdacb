// Calls MODEL on the simulator, with the run's own prices from PRICES_JSON when given
// (options.llm.prices); for test/cost.test.ts.
import { chat } from 'llmload/llm';

export const options = {
  scenarios: { p: { executor: 'shared-iterations', vus: 2, iterations: Number(__ENV.N ?? 10) } },
  llm: { ...(__ENV.PRICES_JSON ? { prices: JSON.parse(__ENV.PRICES_JSON) } : {}) },
};

export default async function () {
  await chat({ model: __ENV.MODEL ?? 'gpt-4o-mini', messages: [{ role: 'user', content: 'Price me, please.' }], max_tokens: 30, stream: true });
}
