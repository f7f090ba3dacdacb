// VUs that think between calls for THINK_MIN–THINK_MAX seconds, around a server's idle timeout:
// every reuse of a pooled connection races the server's close (test/idle-connections.test.ts).
import { check, sleep } from 'llmload';
import { chat } from 'llmload/llm';

const min = Number(__ENV.THINK_MIN ?? 1.5);
const max = Number(__ENV.THINK_MAX ?? 3);

const vus = Number(__ENV.VUS ?? 10);
export const options = {
  scenarios: {
    idle: __ENV.ITERATIONS
      ? { executor: 'per-vu-iterations', vus, iterations: Number(__ENV.ITERATIONS) }
      : { executor: 'constant-vus', vus, duration: __ENV.DURATION ?? '20s', gracefulStop: '5s' },
  },
};

export default async function () {
  const res = await chat({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hello' }], max_tokens: 5, stream: true },
    { retry: false }); // PROVIDER=sim with BASE_URL= the server under test
  check(res, { ok: (r) => r.ok });
  await sleep(min + Math.random() * (max - min));
}
