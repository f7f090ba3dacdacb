// The same load as bench/scenarios/k6-vu.js in llmload's async API, for comparison (bench/k6.ts).
import { sleep } from 'llmload';
import { chat } from 'llmload/llm';
export default async function () {
  await chat({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hello' }], max_tokens: 50, stream: true });
  await sleep(1);
}
