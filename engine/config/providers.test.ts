import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProviders, expandProviders } from './providers.ts';
import type { Scenario } from './options.ts';

test('PROVIDERS: one clone per provider with the same schedule, its own PROVIDER and tag', () => {
  assert.deepEqual(parseProviders(' HolySheep, openrouter '), ['holysheep', 'openrouter']);
  assert.deepEqual(parseProviders(''), []);
  assert.throws(() => parseProviders('a,b,a'), /lists "a" twice/);
  const sc = { name: 'steady', executor: 'constant-arrival-rate', rate: 5, durationMs: 1000, env: { X: '1' }, tags: { t: 'x' }, seed: 7, poisson: true } as unknown as Scenario;
  const out = expandProviders([sc], ['holysheep', 'openrouter']);
  assert.deepEqual(out.map((s) => s.name), ['steady-holysheep', 'steady-openrouter']);
  assert.deepEqual(out.map((s) => s.env), [{ X: '1', PROVIDER: 'holysheep' }, { X: '1', PROVIDER: 'openrouter' }]);
  assert.deepEqual(out.map((s) => s.tags.provider), ['holysheep', 'openrouter']);
  assert.ok(out.every((s) => s.rate === 5 && s.seed === 7 && s.poisson), 'same schedule and seed');
  assert.equal(expandProviders([sc], []).length, 1);
});
