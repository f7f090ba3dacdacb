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
import { pickWeighted, synthetic, dataset, trace, conversation, prefixPool, CONTEXT_WINDOWS, SEED_MODELS, SEED_PROMPTS, SEED_SYSTEM, SEED_STREAM_PROMPT, type SyntheticRequest } from 'llmload/workload';
import exec from 'k6/execution';

// PROVIDERS=a,b runs this scenario once per provider at the same time; PROVIDER=a alone runs one.
// Every provider is resolved here, at init: a missing key fails before any request (exit 112).
// DIALECT=responses|completions (or chat, messages): every call in that wire format, on
// providers that serve it (lib/providers/registry.ts `dialects`)
const DIALECT_NAMES: Record<string, string> = { chat: 'openai-chat', messages: 'anthropic-messages', responses: 'openai-responses', completions: 'openai-completions' };
const DIALECT = __ENV.DIALECT ? DIALECT_NAMES[__ENV.DIALECT] ?? (Object.values(DIALECT_NAMES).includes(__ENV.DIALECT) ? __ENV.DIALECT : null) : null;
if (__ENV.DIALECT && !DIALECT) throw new ConfigError(`unknown DIALECT "${__ENV.DIALECT}": valid are ${Object.keys(DIALECT_NAMES).join(', ')}`, 104);
const TARGETS = providerSet(__ENV, (name, resolved) => {
  const served = (resolved as { dialects?: string[] }).dialects ?? [resolved.dialect];
  if (DIALECT && !served.includes(DIALECT)) throw new ConfigError(`provider ${name} does not serve the ${DIALECT} dialect (DIALECT=${__ENV.DIALECT}): it serves ${served.join(', ')}`, 104);
  const provider = DIALECT ? { ...resolved, dialect: DIALECT as typeof resolved.dialect } : resolved;
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
  // a quick look (9 s): 4 VUs up in 2 s, held 6 s, down in 1 s
  quick: [{ duration: '2s', target: 4 }, { duration: '6s', target: 4 }, { duration: '1s', target: 0 }],
  // the seed's own: 2m/5m/2m/5m/2m to 20/50/100/100/0 VUs
  seed: [{ duration: '2m', target: 20 }, { duration: '5m', target: 50 }, { duration: '2m', target: 100 }, { duration: '5m', target: 100 }, { duration: '2m', target: 0 }],
  // the seed's comparison: 200 users for 10 minutes (DURATION= shortens it, e.g. for make perf)
  stress: [{ duration: '10s', target: 200 }, { duration: __ENV.DURATION || '10m', target: 200 }],
  // recovery: a baseline of 4 VUs, a jump to 10× for 30 s, back to the baseline (the summary
  // reports how long the target took to recover; docs/METRICS.md, "Recovery")
  spike: [{ duration: '3s', target: 4 }, { duration: '9s', target: 4 }, { duration: '1s', target: 40 }, { duration: '30s', target: 40 }, { duration: '1s', target: 4 }, { duration: '10s', target: 4 }, { duration: '2s', target: 0 }],
  // a short spike (25 s) with the same shape rules (docs/METRICS.md, "Recovery"): 4 VUs held 4 s,
  // 40 for 10 s, 4 again for 5 s — for a quick look at recovery (the output tests use it)
  'spike-short': [{ duration: '2s', target: 4 }, { duration: '4s', target: 4 }, { duration: '1s', target: 40 }, { duration: '10s', target: 40 }, { duration: '1s', target: 4 }, { duration: '5s', target: 4 }, { duration: '1s', target: 0 }],
  // soak: 20 VUs for DURATION (default 1 h): the runner's memory must stay flat (make perf ONLY=soak)
  soak: [{ duration: '30s', target: 20 }, { duration: __ENV.DURATION || '1h', target: 20 }],
};
const PROFILE = __ENV.PROFILE || 'short';
if (!PROFILES[PROFILE]) throw new ConfigError(`unknown PROFILE "${PROFILE}": valid profiles are ${Object.keys(PROFILES).join(', ')}`, 104);

const success = new Rate('bench_success');

// ISL=/ISL_STDDEV=/OSL=/OSL_STDDEV= (make bench): synthetic prompts of that many tokens instead of
// the seed's prompts (lib/workload/synthetic.ts; docs/WORKLOADS.md), both calls of an iteration
const num = (k: string) => { const v = __ENV[k]; if (v === undefined || v === '') return undefined; const n = Number(v); if (!(n >= 0)) throw new ConfigError(`${k}=${v} is not a number of tokens`, 104); return n; };
const ISL = num('ISL'), ISL_SD = num('ISL_STDDEV') ?? 0, OSL = num('OSL'), OSL_SD = num('OSL_STDDEV') ?? 0;
if ((ISL_SD || OSL !== undefined || OSL_SD) && ISL === undefined) throw new ConfigError('OSL=, ISL_STDDEV= and OSL_STDDEV= shape a synthetic workload: set ISL= too (the prompt length in tokens)', 104);
// PREFIX_TOKENS=/PREFIX_COUNT=: a pool of shared prefixes (a system prompt when the count is 1)
// before each synthetic prompt; TURNS=: conversations of that many turns (docs/WORKLOADS.md)
const PREFIX_TOKENS = num('PREFIX_TOKENS'), PREFIX_COUNT = num('PREFIX_COUNT') ?? 1, TURNS = num('TURNS');
if (TURNS !== undefined && ISL === undefined) throw new ConfigError('TURNS= shapes a synthetic workload: set ISL= too (the user message length in tokens)', 104);
if (PREFIX_TOKENS !== undefined && (__ENV.DATASET || __ENV.TRACE)) throw new ConfigError('PREFIX_TOKENS= goes with ISL= or the seed prompts, not with DATASET= or TRACE= (their prompts are as recorded)', 104);
if (TURNS !== undefined && !(Number.isInteger(TURNS) && TURNS >= 1)) throw new ConfigError(`TURNS=${__ENV.TURNS} must be a whole number of turns ≥ 1`, 104);
const SYNTH = ISL !== undefined ? { input: { mean: ISL, stddev: ISL_SD, min: 1 }, output: OSL !== undefined ? { mean: OSL, stddev: OSL_SD, min: 1 } : 800, ...(PREFIX_TOKENS !== undefined ? { prefix: { tokens: PREFIX_TOKENS, count: PREFIX_COUNT } } : {}) } : null;
// DATASET=file: prompts from a dataset file (chat JSONL, Batch input, ShareGPT, text), in order
// across the whole run; TRACE=file (SPEED=): replay a timestamped trace instead of the profile
const DATASET = __ENV.DATASET ? dataset(__ENV.DATASET, { onExhausted: 'loop' }) : null;
const TRACE = __ENV.TRACE ? trace(__ENV.TRACE) : null;
if ([DATASET, TRACE, SYNTH].filter(Boolean).length > 1) throw new ConfigError('choose one workload: ISL= (synthetic), DATASET= or TRACE=', 104);
const WORKLOAD = (SYNTH ? `synthetic: input ${ISL} ± ${ISL_SD} tokens, output ${OSL ?? 800}${OSL_SD ? ` ± ${OSL_SD}` : ''} tokens${PREFIX_TOKENS !== undefined ? `, ${PREFIX_COUNT} shared prefix${PREFIX_COUNT === 1 ? '' : 'es'} of ${PREFIX_TOKENS} tokens` : ''}${TURNS !== undefined ? `, conversations of ${TURNS} turns` : ''}`
  : DATASET ? `dataset ${__ENV.DATASET} (${DATASET.format}, ${DATASET.size} records, in order)`
  : TRACE ? `trace ${__ENV.TRACE} (${TRACE.size} requests, speed ${__ENV.SPEED || 1})`
  : `the seed article's prompts${PREFIX_TOKENS !== undefined ? `, after ${PREFIX_COUNT} shared prefix${PREFIX_COUNT === 1 ? '' : 'es'} of ${PREFIX_TOKENS} tokens` : ''}`) + (DIALECT ? `; over ${DIALECT}` : '');
// PREFIX_TOKENS= with the seed prompts: a shared system prompt (one of PREFIX_COUNT) before them,
// the same text for every VU, so a provider's prompt cache can serve it (docs/WORKLOADS.md)
const seedPrefixes = new Map<string, ReturnType<typeof prefixPool>>();
function seedPrefix(model: string): string {
  if (PREFIX_TOKENS === undefined || SYNTH) return '';
  let p = seedPrefixes.get(model);
  if (!p) seedPrefixes.set(model, (p = prefixPool(model, PREFIX_TOKENS, PREFIX_COUNT)));
  return p.at(Math.floor(Math.random() * p.count)) + '\n\n';
}
// a length the models cannot take fails here, at init, before any request (exit 104)
if (SYNTH) for (const model of ALL_MODELS) synthetic({ model, ...SYNTH, contextWindow: CONTEXT_WINDOWS[model] ?? 128_000 });
else if (PREFIX_TOKENS !== undefined) seedPrefix(ALL_MODELS[0]!); // a bad prefix size fails at init too
const TRACE_MAX = TRACE ? TRACE.maxLengths() : null;
// (a conversation's last turn carries the whole history: every user message and answer before it)
const WORST = SYNTH ? { maxInputTokens: Math.ceil((PREFIX_TOKENS ?? 0) + (TURNS ?? 1) * (ISL! + 4 * ISL_SD) + ((TURNS ?? 1) - 1) * (OSL !== undefined ? OSL + 4 * OSL_SD : 800)), maxOutputTokens: OSL !== undefined ? Math.ceil(OSL + 4 * OSL_SD) : 800 }
  : DATASET ? { maxInputTokens: DATASET.maxRecordBytes(), maxOutputTokens: 800 }
  : TRACE_MAX ? { maxInputTokens: TRACE_MAX.input, maxOutputTokens: TRACE_MAX.output || 800 } : { maxInputTokens: 64 + (PREFIX_TOKENS ?? 0), maxOutputTokens: 800 };
const conversations = new Map<string, ReturnType<typeof conversation>>();
const generators = new Map<string, { next(): SyntheticRequest }>();
function synth(model: string, exactOutput: boolean): SyntheticRequest {
  const key = `${__VU}:${model}:${exactOutput}`;
  let g = generators.get(key);
  // each VU its own seeded stream: prompts never repeat across VUs (no accidental cache hits)
  if (!g) generators.set(key, (g = synthetic({ model, ...SYNTH!, exactOutput, seed: __VU * 7919 + model.length, contextWindow: CONTEXT_WINDOWS[model] ?? 128_000 })));
  return g.next();
}

export const options = {
  scenarios: {
    bench: TRACE
      ? { executor: 'trace-replay', trace: __ENV.TRACE!, speed: Number(__ENV.SPEED || 1), preAllocatedVUs: 20, maxVUs: 500, gracefulStop: '30s' }
      : { executor: 'ramping-vus', startVUs: 0, stages: PROFILES[PROFILE], gracefulRampDown: '30s', gracefulStop: '30s' },
  },
  // what was sent, in summary.json and metadata.json (docs/WORKLOADS.md)
  llmload: { workload: WORKLOAD },
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
    // the worst case of the chosen workload: a dataset's longest record (bytes bound tokens) and
    // its largest max_tokens, a trace's largest lengths, a synthetic one's mean + 4 sd
    budget: { callsPerIteration: TRACE ? 1 : TURNS ?? 2, ...WORST, minIterationSeconds: 0.5, models: ALL_MODELS },
  },
};

export default async function () {
  const { provider, models } = TARGETS.current();
  const m = pickWeighted(models);
  const prompt = SEED_PROMPTS[Math.floor(Math.random() * SEED_PROMPTS.length)]!;
  if (TRACE) {
    // one streamed call per trace record, at the trace's time (the executor's schedule)
    const r = TRACE.request(exec.scenario.iterationInTest);
    const res = await chat({ model: m.model, messages: r.messages, max_tokens: r.max_tokens ?? 800, stream: true }, { provider, model: m.model, timeouts: { total: '60s' } });
    success.add(check(res, { 'stream status 200': (x) => x.status === 200 }, { model: m.model }), { model: m.model });
    return;
  }
  if (TURNS !== undefined) {
    // one conversation per iteration: TURNS streamed turns, the whole history each time
    const key = `${__VU}:${m.model}`;
    let c = conversations.get(key);
    if (!c) conversations.set(key, (c = conversation({ model: m.model, turns: TURNS, user: SYNTH!.input, output: SYNTH!.output, ...(PREFIX_TOKENS !== undefined ? { system: { tokens: PREFIX_TOKENS, count: PREFIX_COUNT } } : {}), exactOutput: !!(provider as { lengthControls?: boolean }).lengthControls, think: [0.5, 2.5], seed: __VU * 7919 + m.model.length })));
    const rs = await c.run({ provider, model: m.model, timeouts: { total: '60s' } });
    for (const r of rs) success.add(r.ok, { model: m.model });
    return;
  }
  const fromFile = () => { const d = DATASET!.next()!; return { messages: d.messages, max_tokens: d.outputTokens ?? 800 }; };

  // a synthetic request holds its length with min_tokens/ignore_eos where the provider takes them
  const exact = !!(provider as { lengthControls?: boolean }).lengthControls;
  await group('Chat Completion - Standard', async () => {
    const s = SYNTH ? synth(m.model, exact) : DATASET ? { ...fromFile(), controls: {} } : null;
    const res = await chat(
      s ? { model: m.model, messages: s.messages, max_tokens: s.max_tokens, ...s.controls, temperature: 0.7 }
        : { model: m.model, messages: [{ role: 'system', content: seedPrefix(m.model) + SEED_SYSTEM }, { role: 'user', content: prompt }], max_tokens: m.maxTokens, temperature: 0.7 },
      { provider, model: m.model, minOutputTokens: s ? Math.min(20, s.max_tokens) : 20 },
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
    const s = SYNTH ? synth(m.model, exact) : DATASET ? { ...fromFile(), controls: {} } : null;
    const res = await chat(
      s ? { model: m.model, messages: s.messages, max_tokens: s.max_tokens, ...s.controls, stream: true }
        : { model: m.model, messages: [...(PREFIX_TOKENS !== undefined ? [{ role: 'system' as const, content: seedPrefix(m.model).trimEnd() }] : []), { role: 'user', content: SEED_STREAM_PROMPT }], max_tokens: 800, stream: true },
      { provider, model: m.model, minOutputTokens: s ? Math.min(20, s.max_tokens) : 20, timeouts: { total: '30s' } },
    );
    const ok = check(res, {
      'stream status 200': (r) => r.status === 200,
      'stream contains data': (r) => r.ok && r.content.length > 0,
    }, { model: m.model });
    success.add(ok, { model: m.model });
  });

  await sleep(Math.random() * 2 + 0.5);
}
