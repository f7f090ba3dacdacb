// The reported numbers against the simulator's ground truth (issue #18): the seed's model mix
// (40/30/20/10) streamed at a steady RATE for DURATION, every request's facts in the log.
import { check } from 'llmload';
import { chat } from 'llmload/llm';

const MIX: Array<[string, number]> = [['gpt-4.1', 0.4], ['claude-sonnet-4.5', 0.3], ['gemini-2.5-flash', 0.2], ['deepseek-v3.2', 0.1]];

export const options = {
  scenarios: { truth: { executor: 'constant-arrival-rate', rate: Number(__ENV.RATE ?? 20), duration: __ENV.DURATION ?? '6s', preAllocatedVUs: 60, maxVUs: 120 } },
};

export default async function () {
  let u = Math.random(), model = MIX[0]![0];
  for (const [m, w] of MIX) { if (u < w) { model = m; break; } u -= w; }
  const r = await chat({ model, messages: [{ role: 'user', content: 'Summarise the CAP theorem in a paragraph' }], max_tokens: 200, stream: true }, { retry: false });
  check(r, { answered: (x) => x.ok });
}
