// One dialect's streams at a steady rate (DIALECT=openai-responses | openai-completions |
// openai-chat | anthropic-messages), the same chat() call whichever wire format carries it.
import { check } from 'llmload';
import { chat, type DialectName } from 'llmload/llm';

export const options = {
  scenarios: { load: { executor: 'constant-arrival-rate', rate: Number(__ENV.RATE ?? 10), duration: __ENV.DURATION ?? '3s', preAllocatedVUs: 40, maxVUs: 80 } },
};

export default async function () {
  const r = await chat({ model: 'gpt-4.1', messages: [{ role: 'system', content: 'Answer briefly.' }, { role: 'user', content: 'Compare REST and GraphQL' }], max_tokens: Number(__ENV.MAX_TOKENS ?? 64), stream: __ENV.STREAM !== 'false' }, { dialect: __ENV.DIALECT as DialectName, retry: false });
  check(r, { answered: (x) => x.ok });
}
