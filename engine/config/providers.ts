// Several providers in one run (PROVIDERS=holysheep,openrouter): every scenario is cloned once
// per provider, with the same executor, schedule and seed, so each provider sees the same load
// at the same time; the clone's __ENV.PROVIDER names its provider (chat() reads it) and its
// samples are tagged `provider`. Pure: tested in providers.test.ts.
import type { Scenario } from './options.ts';

export function parseProviders(list: string | undefined): string[] {
  if (!list || !list.trim()) return [];
  const names = list.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`PROVIDERS lists "${dup}" twice: name each provider once, e.g. PROVIDERS=holysheep,openrouter`);
  return names;
}

export function expandProviders(scenarios: Scenario[], providers: string[]): Scenario[] {
  if (providers.length === 0) return scenarios;
  return scenarios.flatMap((sc) => providers.map((p) => ({
    ...sc,
    name: `${sc.name}-${p}`,
    env: { ...sc.env, PROVIDER: p },
    tags: { ...sc.tags, provider: p },
  })));
}
