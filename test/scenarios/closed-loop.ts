import { chat } from 'llmload/llm';
export const options = { scenarios: { s: { executor: 'constant-vus', vus: Number(__ENV.VUS ?? 100), duration: __ENV.DURATION ?? '10s' } } };
export default async function () { await chat({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x' }], max_tokens: 200, stream: true }, { retry: false }); }
