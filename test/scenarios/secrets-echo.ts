// A provider that echoes the key back (as OpenAI's "Incorrect API key provided: sk-…" does):
// the script prints what came back; the key must appear in no output (issue #18).
import { check } from 'llmload';
import { chat } from 'llmload/llm';

export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 2, iterations: 4 } }, thresholds: { checks: ['rate>=0'] } };

export function setup() { console.log(`setup sees ${__ENV.HOLYSHEEP_API_KEY}`); }

export default async function () {
  const r = await chat({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 }, { provider: 'holysheep', retry: false });
  console.log(`error from the provider: ${r.error?.message}`);
  console.error(`headers: ${JSON.stringify(r.headers)}`);
  check(r, { 'rejected': (x) => x.status === 401 });
}

export function handleSummary(d: any) {
  return { stdout: `summary for ${__ENV.HOLYSHEEP_API_KEY}: ${d.metrics.llm_requests.values.count} requests\n`, 'custom.txt': `key=${__ENV.HOLYSHEEP_API_KEY}` };
}
