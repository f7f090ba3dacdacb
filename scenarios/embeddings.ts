// RAG traffic on an embeddings endpoint: queries one at a time, and documents indexed in batches
// of chunks, at the same time — latency, items/s, input tokens/s, errors and cost.
//   node bin/llmload.js run scenarios/embeddings.ts -e PROVIDER=openai -e MODEL=text-embedding-3-small
//   (the built-in simulator by default; RATE=, BATCH=, DURATION= shape it)
import { check } from 'llmload';
import { embed } from 'llmload/llm';
import { resolveProvider } from 'llmload/providers';
import { synthetic } from 'llmload/workload';

const PROVIDER = (__ENV.PROVIDER || 'sim').toLowerCase();
const provider = resolveProvider(PROVIDER, __ENV);
const MODEL = __ENV.MODEL || 'text-embedding-3-small';
const RATE = Number(__ENV.RATE || 10), BATCH = Number(__ENV.BATCH || 16), DURATION = __ENV.DURATION || '3s';

export const options = {
  scenarios: {
    query: { executor: 'constant-arrival-rate', rate: RATE, duration: DURATION, preAllocatedVUs: 10, maxVUs: 50, exec: 'query' },
    index: { executor: 'constant-arrival-rate', rate: Math.max(1, Math.round(RATE / 5)), duration: DURATION, preAllocatedVUs: 5, maxVUs: 20, exec: 'index' },
  },
  // the simulator's provider profiles fail ~1 % of calls on purpose: the bound leaves room for it
  thresholds: { llm_embed_errors: ['rate<0.05'], llm_embed_duration: ['p(95)<2000'] },
  tags: { provider: PROVIDER },
};

// unique text per call (no cache serves it by accident): a query of ~12 tokens, chunks of ~200;
// the generators are made at init (the tokenizer loads there, not in the first iteration),
// seeded per thread
const seed = Math.floor(Math.random() * 2 ** 31);
const queries = synthetic({ model: 'gpt-4.1', input: 12, output: 1, seed });
const chunks = synthetic({ model: 'gpt-4.1', input: 200, output: 1, seed: seed + 1 });
const text = (g: typeof queries) => g.next().messages.map((x) => x.content).join('\n');

export async function query() {
  const r = await embed(text(queries), { provider, model: MODEL, tags: { kind: 'query' } });
  check(r, { 'query embedded': (x) => x.ok && x.items === 1 });
}

export async function index() {
  const r = await embed(Array.from({ length: BATCH }, () => text(chunks)), { provider, model: MODEL, tags: { kind: 'index' } });
  check(r, { 'batch embedded': (x) => x.ok && x.items === BATCH });
}
