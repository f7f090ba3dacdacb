// Long LLM streams (with SIM_ARGS="--itl-ms 50 --output-tokens 200": ~10 s each), for signal
// tests: a Ctrl+C always finds streams in flight. SETUP_S / TEARDOWN_S make setup() and
// teardown() slow, to be interrupted in turn.
import { sleep, check } from 'llmload';
import { chat } from 'llmload/llm';

export const options = {
  scenarios: { s: { executor: 'constant-vus', vus: 4, duration: '30s', gracefulStop: '300ms' } },
};

// markers on stdout: a signal test interrupts the state it names (test/helpers.ts signalOn)
export async function setup() { console.log('MARK setup'); await sleep(Number(__ENV.SETUP_S ?? 0)); return { ok: true }; }

let marked = false;
export default async function () {
  if (!marked) { marked = true; console.log('MARK iterating'); } // once per thread
  const r = await chat({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'tell me a long story' }], max_tokens: 400, stream: true });
  check(r, { 'answered': (x) => x.ok });
}

export async function teardown() { console.log('MARK teardown'); await sleep(Number(__ENV.TEARDOWN_S ?? 0)); }
