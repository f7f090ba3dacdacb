import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pickWeighted, chiSquare } from './weighted.ts';
import { budgetFor, safeMaxTokens, PromptTooLongError } from './token-budget.ts';
import { SEED_MODELS } from './seed.ts';

function mulberry32(seed: number) {
  return () => { seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

test('weighted selection honours 40/30/20/10 (χ² test, 3 degrees of freedom)', () => {
  const r = mulberry32(2026);
  const counts = [0, 0, 0, 0];
  const n = 100_000;
  for (let i = 0; i < n; i++) counts[SEED_MODELS.indexOf(pickWeighted(SEED_MODELS, r))]!++;
  const chi = chiSquare(counts, SEED_MODELS.map((m) => m.weight));
  // critical value for p = 0.001 with 3 d.o.f. is 16.27
  assert.ok(chi < 16.27, `χ² = ${chi.toFixed(2)}, counts ${counts}`);
  // and the seed's uniform pick would fail the same test
  const uniform = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) uniform[Math.floor(r() * 4)]!++;
  assert.ok(chiSquare(uniform, SEED_MODELS.map((m) => m.weight)) > 1000);
});

test('weighted selection edges', () => {
  assert.equal(pickWeighted([{ weight: 0, n: 'a' }, { weight: 1, n: 'b' }], () => 0).n, 'b');
  assert.equal(pickWeighted([{ weight: 1, n: 'a' }, { weight: 0, n: 'b' }], () => 0.9999999).n, 'a');
  assert.throws(() => pickWeighted([{ weight: 0 }]), /positive weight/);
  assert.throws(() => pickWeighted([{ weight: -1 }]), /invalid weight/);
});

test('token budget: safe max_tokens within the context window; refuses < 50 left', async () => {
  assert.deepEqual(budgetFor(1000, 500, 8192), { inputTokens: 1000, maxTokens: 500 });
  assert.deepEqual(budgetFor(8000, 500, 8192), { inputTokens: 8000, maxTokens: 192 });
  assert.throws(() => budgetFor(8150, 500, 8192), PromptTooLongError);
  const b = await safeMaxTokens('gpt-4.1', [{ content: 'Explain quantum entanglement in simple terms' }], 500, { contextWindow: 8192 });
  assert.ok(b.inputTokens >= 8 && b.inputTokens <= 16, `${b.inputTokens}`);
  assert.equal(b.maxTokens, 500);
  await assert.rejects(safeMaxTokens('gpt-4.1', [{ content: 'word '.repeat(9000) }], 500, { contextWindow: 8192 }), /prompt too long/);
});
