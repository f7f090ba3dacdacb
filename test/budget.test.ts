// The budget cap and models without a price (issue #18): a call the price table cannot cost
// would spend without limit under --budget-usd, so the run refuses to go on blind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, tmp, startSimProcess } from './helpers.ts';
import { writeFileSync } from 'node:fs';

test('a model with no price under --budget-usd: the run stops at the first such call (exit 113, summary written); with --yes it runs', async () => {
  const sim = await startSimProcess(['--ttft-ms', '5', '--itl-ms', '1', '--output-tokens', '5']);
  try {
    const f = tmp('unpriced.ts');
    writeFileSync(f, `import { chat } from 'llmload/llm';
export const options = { scenarios: { s: { executor: 'constant-vus', vus: 2, duration: '20s' } } };
export default async function () { await chat({ model: 'mystery-7b', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 }); }
`);
    const stopped = await runCli(['run', f, '-q', '--budget-usd', '5', '-e', `BASE_URL=${sim.url}`], { timeoutMs: 60_000 });
    assert.equal(stopped.code, 113, stopped.stderr);
    assert.match(stopped.summary.state.abortReason, /--budget-usd cannot be enforced: no price for sim\/mystery-7b/);
    assert.ok(stopped.ms < 10_000, `stopped early (${stopped.ms} ms of a 20 s run)`);
    const yes = await runCli(['run', f, '-q', '--budget-usd', '5', '--yes', '-e', `BASE_URL=${sim.url}`, '-d', '2s'], { timeoutMs: 60_000 });
    assert.equal(yes.code, 0, yes.stderr);
    assert.ok(yes.summary.metrics.llm_unpriced.values.count > 0);
  } finally { await sim.stop(); }
});
