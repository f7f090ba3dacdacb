// The seed article's other workload: its Locust test (shared/seeds: locust_ai_load_test.py) as a
// scenario. Each user waits 0.1–0.5 s between tasks; tasks are one standard call to three
// streaming calls (the article weights its streaming task 3:1); a standard call slower than 5 s
// fails (the article's check), a stream has 15 s. Profiles: the article's 100-user sustained
// test and its 0→200-user spike, plus `short` (30 s, 20 users) for a quick look.
// PROVIDER=…, or PROVIDERS=a,b for the same load on each at once (make bench SCENARIO=seed-locust).
import { check, sleep } from 'llmload';
import { Rate } from 'llmload/metrics';
import { chat } from 'llmload/llm';
import { providerSet, modelId, ConfigError } from 'llmload/providers';

const MODEL = __ENV.MODEL || 'gpt-4.1'; // the article's MODEL
// every provider resolved at init: a missing key fails here, before any request
const TARGETS = providerSet(__ENV, (name, provider) => {
  if (modelId(provider, MODEL) === null) throw new ConfigError(`provider ${name} does not offer ${MODEL}: pick another with -e MODEL=… or map it with MODEL_MAP=${MODEL}=your-model-id`, 104);
  return provider;
});

// the article's eight prompts, paraphrased
const PROMPTS = [
  'Explain quantum entanglement in simple terms',
  'Write a Python function that parses nested JSON with error handling',
  'Compare microservices and monolithic architectures',
  'Why does async code hang when it calls external APIs?',
  'Write a SQL query that finds duplicate records across tables',
  'What are the security implications of storing JWTs in localStorage?',
  'Implement a sliding-window rate limiter with Redis',
  'Explain the CAP theorem and its practical implications',
];

const STAGES: Record<string, Array<{ duration: string; target: number }>> = {
  short: [{ duration: '5s', target: 20 }, { duration: __ENV.DURATION || '25s', target: 20 }],
  // 100 users sustained (the article's "100-user sustained test")
  sustained: [{ duration: '30s', target: 100 }, { duration: __ENV.DURATION || '10m', target: 100 }],
  // 0 → 200 users (the article's spike), then back to 20 to see the recovery
  spike: [{ duration: '1m', target: 20 }, { duration: '10s', target: 200 }, { duration: '1m', target: 200 }, { duration: '10s', target: 20 }, { duration: '2m', target: 20 }],
};
const PROFILE = __ENV.PROFILE || 'short';
if (!STAGES[PROFILE]) throw new ConfigError(`unknown PROFILE "${PROFILE}" for seed-locust: valid profiles are ${Object.keys(STAGES).join(', ')}`, 104);

const failures = new Rate('locust_failures');

export const options = {
  scenarios: { users: { executor: 'ramping-vus', startVUs: 0, stages: STAGES[PROFILE], gracefulRampDown: '15s', gracefulStop: '15s' } },
  thresholds: { locust_failures: ['rate<0.05'], llm_ttft: ['p(95)<1500'] },
  llm: { provider: TARGETS.names[0], retry: { maxRetries: 0 } },
};

export default async function () {
  const p = TARGETS.current();
  const prompt = PROMPTS[Math.floor(Math.random() * PROMPTS.length)]!;
  if (Math.random() < 0.25) {
    // standard call: max_tokens 500, temperature 0.7; slower than 5 s is a failure
    const r = await chat({ model: MODEL, messages: [{ role: 'user', content: prompt }], max_tokens: 500, temperature: 0.7 }, { provider: p, model: MODEL, timeouts: { total: '5s' }, tags: { name: '/chat/completions' } });
    failures.add(!check(r, { 'standard ok within 5 s': (x) => x.ok && (x.timings.e2eMs ?? Infinity) <= 5000 }));
  } else {
    // streaming call: 15 s budget
    const r = await chat({ model: MODEL, messages: [{ role: 'user', content: prompt }], max_tokens: 500, stream: true }, { provider: p, model: MODEL, timeouts: { total: '15s' }, tags: { name: '/chat/completions [stream]' } });
    failures.add(!check(r, { 'stream ok within 15 s': (x) => x.ok && x.content.length > 0 }));
  }
  await sleep(0.1 + Math.random() * 0.4);
}
