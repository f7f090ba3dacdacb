// The seed workload (shared/seeds: the article's k6 script), done right:
//  - models picked by weight (40/30/20/10); the seed declared weights and picked uniformly
//  - a non-streaming and a streaming call per iteration (max_tokens 500 / 800), timed by
//    lib/llm (TTFT, ITL, tokens, cost), 429s retried with lib/llm's backoff
//  - the seed's thresholds plus TTFT ones; think time 0.5–2.5 s
// PROVIDER=sim (default: the built-in simulator), holysheep, openrouter, … ; PROFILE=short|seed|stress
import { check, group, sleep } from 'llmload';
import { Rate } from 'llmload/metrics';
import { chat } from 'llmload/llm';
import { providerSet, modelId, ConfigError } from 'llmload/providers';
import { pickWeighted, SEED_MODELS, SEED_PROMPTS, SEED_SYSTEM, SEED_STREAM_PROMPT } from 'llmload/workload';

// PROVIDERS=a,b runs this scenario once per provider at the same time; PROVIDER=a alone runs one.
// Every provider is resolved here, at init: a missing key fails before any request (exit 112).
const TARGETS = providerSet(__ENV, (name, provider) => {
  // the seed models this provider offers; weights renormalise over them
  const models = SEED_MODELS.filter((m) => modelId(provider, m.model) !== null);
  if (models.length === 0) throw new ConfigError(`provider ${name} offers none of the seed models (${SEED_MODELS.map((m) => m.model).join(', ')}): map them with MODEL_MAP=gpt-4.1=your-model-id`, 104);
  return { provider, models };
});
const NAMES = TARGETS.names;
const PROVIDER = NAMES.join(',');
const ALL_MODELS = [...new Set(TARGETS.all.flatMap((t) => t.models.map((m) => m.model)))];

const PROFILES: Record<string, Array<{ duration: string; target: number }>> = {
  // the seed's five stages, time ×1/12 and VUs ×1/5: 80 s, peak 20 VUs
  short: [{ duration: '10s', target: 4 }, { duration: '25s', target: 10 }, { duration: '10s', target: 20 }, { duration: '25s', target: 20 }, { duration: '10s', target: 0 }],
  // the seed's own: 2m/5m/2m/5m/2m to 20/50/100/100/0 VUs
  seed: [{ duration: '2m', target: 20 }, { duration: '5m', target: 50 }, { duration: '2m', target: 100 }, { duration: '5m', target: 100 }, { duration: '2m', target: 0 }],
  // the seed's comparison: 200 users for 10 minutes (DURATION= shortens it, e.g. for make perf)
  stress: [{ duration: '10s', target: 200 }, { duration: __ENV.DURATION || '10m', target: 200 }],
  // recovery: a baseline of 4 VUs, a jump to 10× for 30 s, back to the baseline (the summary
  // reports how long the target took to recover; docs/METRICS.md, "Recovery")
  spike: [{ duration: '3s', target: 4 }, { duration: '9s', target: 4 }, { duration: '1s', target: 40 }, { duration: '30s', target: 40 }, { duration: '1s', target: 4 }, { duration: '10s', target: 4 }, { duration: '2s', target: 0 }],
  // soak: 20 VUs for DURATION (default 1 h): the runner's memory must stay flat (make perf ONLY=soak)
  soak: [{ duration: '30s', target: 20 }, { duration: __ENV.DURATION || '1h', target: 20 }],
};
const PROFILE = __ENV.PROFILE || 'short';
if (!PROFILES[PROFILE]) throw new ConfigError(`unknown PROFILE "${PROFILE}": valid profiles are ${Object.keys(PROFILES).join(', ')}`, 104);

const success = new Rate('bench_success');

export const options = {
  scenarios: {
    bench: { executor: 'ramping-vus', startVUs: 0, stages: PROFILES[PROFILE], gracefulRampDown: '30s', gracefulStop: '30s' },
  },
  thresholds: {
    http_req_duration: ['p(95)<3000', 'p(99)<5000'], // the seed's
    llm_errors: ['rate<0.05'], // the seed's holySheep_errors
    bench_success: ['rate>0.90'], // the seed's holySheep_success
    llm_ttft: ['p(95)<1500'],
    'llm_ttft{stream:true}': ['p(99)<3000'],
  },
  tags: NAMES.length === 1 ? { provider: PROVIDER } : {},
  llm: {
    provider: NAMES[0],
    timeouts: { connect: '10s', headers: '30s', idle: '15s', total: '60s' },
    retry: { maxRetries: 5, baseMs: 500, capMs: 20000 },
    // for the budget guard: 2 calls per iteration, ≤ 800 output tokens, ≥ 0.5 s per iteration
    budget: { callsPerIteration: 2, maxInputTokens: 64, maxOutputTokens: 800, minIterationSeconds: 0.5, models: ALL_MODELS },
  },
};

export default async function () {
  const { provider, models } = TARGETS.current();
  const m = pickWeighted(models);
  const prompt = SEED_PROMPTS[Math.floor(Math.random() * SEED_PROMPTS.length)]!;

  await group('Chat Completion - Standard', async () => {
    const res = await chat(
      { model: m.model, messages: [{ role: 'system', content: SEED_SYSTEM }, { role: 'user', content: prompt }], max_tokens: m.maxTokens, temperature: 0.7 },
      { provider, model: m.model, minOutputTokens: 20 },
    );
    const ok = check(res, {
      'status is 200': (r) => r.status === 200,
      'has choices': (r) => r.ok && r.content.length > 0,
      'has usage data': (r) => r.usage.source === 'usage',
      'response time acceptable': (r) => (r.timings.e2eMs ?? Infinity) < 5000,
    }, { model: m.model });
    success.add(ok, { model: m.model });
  });

  await group('Streaming Completion', async () => {
    const res = await chat(
      { model: m.model, messages: [{ role: 'user', content: SEED_STREAM_PROMPT }], max_tokens: 800, stream: true },
      { provider, model: m.model, minOutputTokens: 20, timeouts: { total: '30s' } },
    );
    const ok = check(res, {
      'stream status 200': (r) => r.status === 200,
      'stream contains data': (r) => r.ok && r.content.length > 0,
    }, { model: m.model });
    success.add(ok, { model: m.model });
  });

  await sleep(Math.random() * 2 + 0.5);
}
