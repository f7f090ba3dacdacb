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

test('the spend cap overshoots at most what the calls already in flight can cost (concurrency × the dearest call)', async () => {
  const sim = await startSimProcess(['--ttft-ms', '5', '--itl-ms', '1', '--output-tokens', '50']);
  try {
    const f = tmp('tight.ts');
    writeFileSync(f, `import { chat } from 'llmload/llm';
export const options = { scenarios: { s: { executor: 'constant-vus', vus: 4, duration: '20s' } } };
export default async function () { await chat({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], max_tokens: 50, stream: true }); }
`);
    const budget = 0.004;
    const r = await runCli(['run', f, '-q', '--budget-usd', String(budget), '--yes', '-e', `BASE_URL=${sim.url}`], { timeoutMs: 60_000 });
    assert.equal(r.code, 113, r.stderr);
    const spent = r.summary.llm.totals.cost_usd;
    const inTok = r.summary.llm.totals.input_tokens / r.summary.llm.totals.requests;
    // the simulator's gpt-4.1 price in lib/pricing: $2 in, $8 out per million tokens
    const dearest = (Math.ceil(inTok) * 2 + 50 * 8) / 1e6;
    assert.ok(spent >= budget, `spent ${spent}`);
    assert.ok(spent <= budget + 4 * dearest + 1e-9, `spent $${spent}: over the cap by ${(spent - budget).toFixed(6)}, bound 4 × ${dearest}`);
    assert.ok(r.summary.metrics.llm_aborted.values.count >= 1 || r.summary.state.aborted, 'calls after the cap were not sent');
  } finally { await sim.stop(); }
});
