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
