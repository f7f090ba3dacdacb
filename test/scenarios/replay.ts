// Replays TRACE (SPEED=) against the built-in or a given simulator: one streamed call per trace
// record, lengths held exactly (the simulator takes min_tokens/ignore_eos); for test/workload.test.ts.
import { check } from 'llmload';
import exec from 'k6/execution';
import { chat } from 'llmload/llm';
import { trace } from 'llmload/workload';

const t = trace(__ENV.TRACE!, { model: 'gpt-4.1' });
export const options = {
  scenarios: { replay: { executor: 'trace-replay', trace: __ENV.TRACE!, speed: Number(__ENV.SPEED ?? 1), preAllocatedVUs: 60, maxVUs: 300 } },
  llmload: { workload: `trace ${__ENV.TRACE}` },
};

export default async function () {
  const r = t.request(exec.scenario.iterationInTest);
  const res = await chat({ model: 'gpt-4.1', messages: r.messages, max_tokens: r.max_tokens, min_tokens: r.max_tokens, ignore_eos: true, stream: true }, { retry: false });
  check(res, { ok: (x) => x.ok });
}
