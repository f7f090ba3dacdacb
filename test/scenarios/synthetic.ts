// Synthetic prompts of ISL ± ISL_STDDEV tokens and answers of OSL tokens (held with min_tokens
// and ignore_eos: the simulator accepts them), streamed; for test/workload.test.ts.
import { check } from 'llmload';
import { chat } from 'llmload/llm';
import { synthetic } from 'llmload/workload';

export const options = { scenarios: { synth: { executor: 'per-vu-iterations', vus: Number(__ENV.VUS ?? 10), iterations: Number(__ENV.ITERATIONS ?? 30) } } };

const MODEL = __ENV.MODEL ?? 'gpt-4.1';
let gen: ReturnType<typeof synthetic> | null = null;

export default async function () {
  gen ??= synthetic({ model: MODEL, input: { mean: Number(__ENV.ISL), stddev: Number(__ENV.ISL_STDDEV ?? 0), min: 1 }, output: Number(__ENV.OSL), exactOutput: true, seed: __VU });
  const r = gen.next();
  const res = await chat({ model: MODEL, messages: r.messages, max_tokens: r.max_tokens, ...r.controls, stream: true });
  check(res, { ok: (x) => x.ok });
}
