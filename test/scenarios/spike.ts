// A short spike for output tests: 6 it/s, a jump to 30 it/s for 4 s, back to 6 — the seed's
// model mix, streamed, with retries (so every dashboard panel, recovery included, has data).
import { check } from 'llmload';
import { chat } from 'llmload/llm';

const MIX: Array<[string, number]> = [['gpt-4.1', 0.4], ['claude-sonnet-4.5', 0.3], ['gemini-2.5-flash', 0.2], ['deepseek-v3.2', 0.1]];

// a shared system prompt (longer than the simulator's 256-character cache block), so a
// simulator with --prefix-cache serves part of every prompt from its cache: the prompt-cache
// panel has data
const SYSTEM = 'You are a careful assistant for distributed-systems engineers. Answer in plain English, define every term the first time it appears, prefer one short example over a long list, and say when a claim depends on the failure model (crash-stop, crash-recovery, Byzantine) or on the network model (synchronous, partially synchronous, asynchronous). Keep answers under two hundred words.';

export const options = {
  scenarios: { spike: { executor: 'ramping-arrival-rate', startRate: 6, preAllocatedVUs: 40, maxVUs: 120, stages: [{ duration: '4s', target: 6 }, { duration: '0.5s', target: 30 }, { duration: '4s', target: 30 }, { duration: '0.5s', target: 6 }, { duration: '4s', target: 6 }] } },
  // tolerances wide enough that the faults the output tests inject never read as "not recovered"
  llm: { recovery: { window: '1s', ttftTolerance: 10, errorTolerance: 1 } },
};

export default async function () {
  let u = Math.random(), model = MIX[0]![0];
  for (const [m, w] of MIX) { if (u < w) { model = m; break; } u -= w; }
  const r = await chat({ model, messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: 'Summarise the CAP theorem in a paragraph' }], max_tokens: 200, stream: true }, { retry: { maxRetries: 3 } });
  check(r, { answered: (x) => x.ok });
}
