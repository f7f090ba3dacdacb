// `import { provider } from 'llmload/providers'`: resolve a provider name + env into what
// lib/llm sends. Fails before any request with one line when the key is missing.
import { PROVIDERS } from './registry.ts';
import type { ResolvedProvider, ProviderDef } from './types.ts';
import { runtime } from '../runtime.ts';
export { PROVIDERS } from './registry.ts';
export type { ProviderDef, ResolvedProvider } from './types.ts';

/** An error the CLI turns into one line and a documented exit code (docs/EXIT_CODES.md). */
export class ConfigError extends Error {
  constructor(message: string, readonly exitCode: number) { super(message); }
}
export const EXIT_INVALID_CONFIG = 104;
export const EXIT_CREDENTIALS_MISSING = 112;

export function providerNames(): string[] { return Object.keys(PROVIDERS); }

export function providerDef(name: string): ProviderDef {
  const p = PROVIDERS[name.toLowerCase()];
  if (!p) throw new ConfigError(`unknown provider "${name}": valid providers are ${providerNames().join(', ')}`, EXIT_INVALID_CONFIG);
  return p;
}

function parseModelMap(s: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (s ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
    const i = part.indexOf('=');
    if (i <= 0) throw new ConfigError(`invalid MODEL_MAP entry "${part}": use seed=id pairs, e.g. MODEL_MAP=gpt-4.1=my-model`, EXIT_INVALID_CONFIG);
    out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

/** Provider from a name and the environment (BASE_URL, the key variable, MODEL_MAP). */
export function resolveProvider(name: string, env: Record<string, string | undefined>): ResolvedProvider {
  const p = providerDef(name);
  const apiKey = p.keyEnv ? env[p.keyEnv] : undefined;
  if (p.keyRequired && !apiKey) throw new ConfigError(`${p.keyEnv} is not set: export it or run with PROVIDER=sim`, EXIT_CREDENTIALS_MISSING);
  // <NAME>_BASE_URL (e.g. OPENROUTER_BASE_URL) points one provider elsewhere; BASE_URL all of them
  const baseUrl = (env[`${p.name.toUpperCase()}_BASE_URL`] || env.BASE_URL || p.baseUrl).replace(/\/+$/, '');
  try { new URL(baseUrl); } catch { throw new ConfigError(`invalid BASE_URL "${baseUrl}": expected e.g. http://127.0.0.1:8000/v1`, EXIT_INVALID_CONFIG); }
  return { name: p.name, baseUrl, dialect: p.dialect, dialects: p.dialects ?? [p.dialect], apiKey, models: { ...p.models, ...parseModelMap(env.MODEL_MAP) }, cnyPerUsd: p.cnyPerUsd, ...(p.lengthControls ? { lengthControls: true } : {}) };
}

/** This provider's id for a seed model name, or null when it does not offer it. */
export function modelId(p: ResolvedProvider, seedModel: string): string | null {
  if (!p.models || !(seedModel in p.models)) return seedModel;
  return p.models[seedModel] ?? null;
}

/**
 * The providers a scenario runs against: PROVIDERS=a,b (the engine runs one clone of each
 * scenario per provider, and each clone's __ENV.PROVIDER names its own) or PROVIDER=a (default
 * sim). Call it at init: every provider is resolved there, so a missing key fails before any
 * request; `prepare` adds what the scenario needs per provider (its models, a check).
 */
export function providerSet<T>(env: Record<string, string | undefined>, prepare: (name: string, provider: ResolvedProvider) => T): { names: string[]; all: T[]; current(): T } {
  const names = (env.PROVIDERS || env.PROVIDER || 'sim').toLowerCase().split(',').map((x) => x.trim()).filter(Boolean);
  const byName = new Map(names.map((n) => [n, prepare(n, resolveProvider(n, env))] as const));
  return {
    names,
    all: [...byName.values()],
    /** this iteration's provider (its scenario's __ENV.PROVIDER), else the first */
    current: () => byName.get((runtime().env.PROVIDER || names[0]!).toLowerCase()) ?? byName.get(names[0]!)!,
  };
}
