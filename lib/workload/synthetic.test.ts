import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { synthetic, wordPool } from './synthetic.ts';
import { lengthSampler, LengthError } from './lengths.ts';
import { prng } from '../random.ts';

const require = createRequire(import.meta.url);
const o200k = require('gpt-tokenizer/cjs/encoding/o200k_base');
const cl100k = require('gpt-tokenizer/cjs/encoding/cl100k_base');

test('synthetic prompts have exactly the asked token count in the model family\'s tokenizer, and differ', () => {
  for (const [model, enc] of [['gpt-4.1', o200k], ['claude-sonnet-4.5', cl100k]] as const) {
    assert.ok(wordPool(model).length >= 100, `${model}: ${wordPool(model).length} single-token words`);
    const g = synthetic({ model, input: { mean: 300, stddev: 80, min: 1 }, output: 50, seed: 3 });
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const r = g.next();
      assert.equal(enc.encode(r.messages[0]!.content).length, r.inputTokens, `${model} request ${i}`);
      seen.add(r.messages[0]!.content.slice(0, 60));
      assert.equal(r.max_tokens, 50);
      assert.deepEqual(r.controls, {});
    }
    assert.equal(seen.size, 50, 'no two prompts share their first words');
  }
  const exact = synthetic({ model: 'gpt-4.1', input: 10, output: 200, exactOutput: true }).next();
  assert.deepEqual(exact.controls, { min_tokens: 200, ignore_eos: true });
});

test('length distributions: normal mean and stddev, clamps, uniform bounds, histogram weights', () => {
  const r = prng(9);
  const n = lengthSampler({ mean: 500, stddev: 100 }, r, 'x');
  const xs = Array.from({ length: 20_000 }, n);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  assert.ok(Math.abs(mean - 500) < 5 && Math.abs(sd - 100) < 3, `${mean} ${sd}`);
  const c = lengthSampler({ mean: 100, stddev: 500, min: 10, max: 120 }, r, 'x');
  for (let i = 0; i < 1000; i++) { const v = c(); assert.ok(v >= 10 && v <= 120); }
  const u = lengthSampler({ dist: 'uniform', min: 5, max: 7 }, r, 'x');
  const us = new Set(Array.from({ length: 300 }, u));
  assert.deepEqual([...us].sort(), [5, 6, 7]);
  const h = lengthSampler({ dist: 'histogram', bins: [[10, 1], [20, 3]] }, r, 'x');
  const hs = Array.from({ length: 4000 }, h);
  assert.ok(Math.abs(hs.filter((v) => v === 20).length / 4000 - 0.75) < 0.03);
});

test('length specs that cannot be satisfied: one clear error each', () => {
  const r = prng(1);
  assert.throws(() => lengthSampler({ mean: 100, min: 50, max: 10 }, r, 'input length'), (e: Error) => e instanceof LengthError && /input length: min 50 > max 10/.test(e.message));
  assert.throws(() => lengthSampler(200_000, r, 'input length', 128_000), /200000 tokens exceeds the model's context window \(128000\)/);
  assert.throws(() => lengthSampler(0, r, 'output length'), /not a token count ≥ 1/);
  assert.throws(() => lengthSampler({ dist: 'gamma' } as never, r, 'x'), /unknown distribution "gamma": valid are normal, lognormal, uniform, histogram/);
});

test('a mean beyond the context window is refused, not clamped', () => {
  assert.throws(() => lengthSampler({ mean: 300_000, stddev: 0 }, prng(1), 'input length', 200_000), /input length: 300000 tokens exceeds the model's context window \(200000\)/);
});

test('an empirical histogram from a file: JSON bins or one length a line', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const d = mkdtempSync(join(tmpdir(), 'llmload-hist-'));
  writeFileSync(join(d, 'h.json'), '[[100, 1], [300, 1]]');
  writeFileSync(join(d, 'h.txt'), '50\n50\n70\n');
  const a = lengthSampler({ dist: 'histogram', file: join(d, 'h.json') }, prng(2), 'x');
  assert.deepEqual([...new Set(Array.from({ length: 200 }, a))].sort((x, y) => x - y), [100, 300]);
  const b = lengthSampler({ dist: 'histogram', file: join(d, 'h.txt') }, prng(2), 'x');
  const xs = Array.from({ length: 3000 }, b);
  assert.ok(Math.abs(xs.filter((v) => v === 50).length / 3000 - 2 / 3) < 0.04);
  writeFileSync(join(d, 'bad.txt'), '50\nabc\n');
  assert.throws(() => lengthSampler({ dist: 'histogram', file: join(d, 'bad.txt') }, prng(2), 'input length'), /input length: .*bad\.txt:2: "abc" is not a length/);
});
