// N requests reading DATASET in order across every VU thread; each prints the record it sent,
// for test/workload.test.ts (order and provenance).
import { chat } from 'llmload/llm';
import { dataset } from 'llmload/workload';

const ds = dataset(__ENV.DATASET!, { format: __ENV.FORMAT || undefined, onExhausted: 'stop' });
export const options = { scenarios: { read: { executor: 'shared-iterations', vus: Number(__ENV.VUS ?? 16), iterations: Number(__ENV.N ?? 200) } } };

export default async function () {
  const p = ds.next();
  if (!p) { console.log('EXHAUSTED'); return; }
  console.log(`IDX ${p.index} ${JSON.stringify(p.messages[p.messages.length - 1]!.content.slice(0, 40))}`);
  if (__ENV.NO_CALL) return;
  await chat({ model: 'gpt-4.1', messages: p.messages, max_tokens: p.outputTokens ?? 5, stream: true }, { retry: false });
}
