// Conversations on the simulator (test/workload.test.ts): TURNS turns per session, a
// 1,000-token system prompt per session shared by its turns, 50-token user messages, 30-token
// answers held exactly; CACHE_CONTROL=1 adds Anthropic's breakpoints.
import { conversation } from 'llmload/workload';

export const options = {
  scenarios: { chat: { executor: 'per-vu-iterations', vus: Number(__ENV.VUS ?? 5), iterations: Number(__ENV.SESSIONS ?? 6) } },
  llmload: { workload: `conversations of ${__ENV.TURNS ?? 4} turns` },
};

let conv: ReturnType<typeof conversation> | null = null;
export default async function () {
  conv ??= conversation({ model: __ENV.MODEL ?? 'gpt-4.1', turns: Number(__ENV.TURNS ?? 4), system: { tokens: 1000, count: 100_000 }, user: 50, output: 30, exactOutput: true, cacheControl: !!__ENV.CACHE_CONTROL, seed: __VU });
  await conv.run({ retry: false, ...(__ENV.DIALECT ? { provider: { name: 'sim', baseUrl: __ENV.BASE_URL!, dialect: __ENV.DIALECT as 'anthropic-messages' } } : {}) });
}
