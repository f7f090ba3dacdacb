// One streamed request per seed model the provider offers: checks a key and the wiring.
//   make bench SCENARIO=smoke PROVIDER=holysheep
import { check } from 'llmload';
import exec from 'llmload/execution';
import { chat } from 'llmload/llm';
import { resolveProvider, modelId } from 'llmload/providers';
import { SEED_MODELS } from 'llmload/workload';

const PROVIDER = (__ENV.PROVIDER || 'sim').toLowerCase();
const provider = resolveProvider(PROVIDER, __ENV);
const MODELS = SEED_MODELS.filter((m) => modelId(provider, m.model) !== null);

export const options = {
  scenarios: { smoke: { executor: 'shared-iterations', vus: 1, iterations: Math.max(1, MODELS.length), maxDuration: '2m' } },
  thresholds: { llm_errors: ['rate==0'], checks: ['rate==1'] },
  tags: { provider: PROVIDER },
  llm: { provider: PROVIDER, budget: { callsPerIteration: 1, maxInputTokens: 32, maxOutputTokens: 64, models: MODELS.map((m) => m.model) } },
};

export default async function () {
  const m = MODELS[exec.scenario.iterationInTest % MODELS.length]!;
  const res = await chat({ model: m.model, messages: [{ role: 'user', content: 'Reply with one short sentence about load testing.' }], max_tokens: 64, stream: true }, { provider, model: m.model });
  check(res, {
    [`${m.model}: status 200`]: (r) => r.status === 200,
    [`${m.model}: streamed content`]: (r) => r.ok && r.content.length > 0,
    [`${m.model}: TTFT measured`]: (r) => (r.timings.ttftMs ?? -1) > 0,
  });
  if (!res.ok) console.error(`${m.model}: ${res.error?.kind}: ${res.error?.message}`);
}
