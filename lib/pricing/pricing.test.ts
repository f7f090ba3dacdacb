import { test } from 'node:test';
import assert from 'node:assert/strict';
import { outputSavings, costUsd, priceFor, toCny, PRICES } from './index.ts';

test("reproduces the seed's savings per 10M output tokens table", () => {
  // shared/seeds, "Pricing and ROI": $70.00 (47%), $30.00 (17%), $10.00 (29%), $2.30 (35%)
  assert.deepEqual(outputSavings('holysheep', 'gpt-4.1', 10e6), { usd: 70, percent: 47 });
  assert.deepEqual(outputSavings('holysheep', 'claude-sonnet-4.5', 10e6), { usd: 30, percent: 17 });
  assert.deepEqual(outputSavings('holysheep', 'gemini-2.5-flash', 10e6), { usd: 10, percent: 29 });
  assert.deepEqual(outputSavings('holysheep', 'deepseek-v3.2', 10e6), { usd: 2.3, percent: 35 });
});

test('cost per request prices input and output separately', () => {
  const p = priceFor('holysheep', 'gpt-4.1')!;
  assert.equal(costUsd(p, 1_000_000, 0), 2);
  assert.equal(costUsd(p, 0, 1_000_000), 8);
  assert.ok(Math.abs(costUsd(p, 100, 500) - (100 * 2 + 500 * 8) / 1e6) < 1e-15);
});

test('CNY: HolySheep bills ¥1 per $1, the market ¥7.3 (the seed\'s 85%+ saving)', () => {
  assert.equal(toCny(10, 1), 10);
  assert.ok(Math.abs(toCny(10, undefined) - 73) < 1e-9);
  assert.ok(1 - toCny(1, 1) / toCny(1, undefined) > 0.85);
});

test('every price names its source and date', () => {
  for (const [prov, models] of Object.entries(PRICES)) for (const [m, p] of Object.entries(models)) {
    assert.ok(p.source.length > 10 && /^\d{4}-\d{2}/.test(p.date), `${prov}/${m}`);
    assert.ok(p.inputPerMTok > 0 && p.outputPerMTok > 0);
  }
});

test('any model genai-prices knows is priced; cache reads, cache writes and reasoning match its calcPrice to 1e-8 USD', async () => {
  const { calcPrice } = await import('@pydantic/genai-prices');
  const cases: Array<[string, string, string, { input: number; cached: number; written: number; output: number }]> = [
    ['openai', 'gpt-4o-mini', 'openai', { input: 12_000, cached: 8_192, written: 0, output: 900 }],
    ['anthropic', 'claude-3-5-haiku-latest', 'anthropic', { input: 5_000, cached: 2_000, written: 1_500, output: 700 }],
    ['deepseek', 'deepseek-chat', 'deepseek', { input: 3_000, cached: 2_560, written: 0, output: 400 }],
    ['gemini', 'gemini-2.5-pro', 'google', { input: 9_000, cached: 4_000, written: 0, output: 2_500 }], // output incl. 1,800 reasoning
    ['groq', 'llama-3.3-70b-versatile', 'groq', { input: 1_000, cached: 0, written: 0, output: 300 }],
  ];
  for (const [provider, model, pid, u] of cases) {
    const p = priceFor(provider, model);
    assert.ok(p, `${provider}/${model} priced`);
    assert.match(p!.source, /^genai-prices /);
    const ours = costUsd(p!, u.input, u.output, u.cached, u.written);
    const theirs = calcPrice({ input_tokens: u.input, cache_read_tokens: u.cached, cache_write_tokens: u.written, output_tokens: u.output }, model, { providerId: pid })!.total_price;
    assert.ok(Math.abs(ours - theirs) < 1e-8, `${provider}/${model}: ${ours} vs calcPrice ${theirs}`);
  }
  // the seed table stays first for its providers; a model nobody prices stays unpriced
  assert.match(priceFor('holysheep', 'gpt-4.1')!.source, /seed article/);
  assert.equal(priceFor('sim', 'mystery-7b'), null);
  // cached input at its own rate lowers the cost against plain input
  const mini = priceFor('openai', 'gpt-4o-mini')!;
  assert.ok(costUsd(mini, 10_000, 0, 8_000) < costUsd(mini, 10_000, 0));
});
