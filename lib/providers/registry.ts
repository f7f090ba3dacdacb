// The provider registry: one small declarative entry each. Model ids map the seed's four
// models (gpt-4.1, claude-sonnet-4.5, gemini-2.5-flash, deepseek-v3.2) to what each
// provider calls them; null where a provider does not offer one. BASE_URL= overrides any
// base URL; MODEL_MAP= ("seed=id,…") overrides the mapping (docs/PROVIDERS.md). `dialects`: the
// wire formats each serves, as its documentation lists them (chat completions, Anthropic
// messages, the Responses API, text completions, embeddings).
import type { ProviderDef } from './types.ts';

const SEED = ['gpt-4.1', 'claude-sonnet-4.5', 'gemini-2.5-flash', 'deepseek-v3.2'] as const;
const same = Object.fromEntries(SEED.map((m) => [m, m])) as Record<string, string>;
const none = Object.fromEntries(SEED.map((m) => [m, null])) as Record<string, null>;

export const PROVIDERS: Record<string, ProviderDef> = {
  sim: { name: 'sim', title: 'llmload simulator (built in)', baseUrl: 'http://127.0.0.1:8080/v1', dialect: 'openai-chat', dialects: ['openai-chat', 'anthropic-messages', 'openai-responses', 'openai-completions', 'openai-embeddings'], keyEnv: 'SIM_API_KEY', keyRequired: false, authHeader: 'authorization', models: same, rateLimitHeaders: 'openai', cnyPerUsd: 1, lengthControls: true },
  holysheep: { name: 'holysheep', title: 'HolySheep AI', baseUrl: 'https://api.holysheep.ai/v1', dialect: 'openai-chat', dialects: ['openai-chat'], keyEnv: 'HOLYSHEEP_API_KEY', keyRequired: true, authHeader: 'authorization', models: same, rateLimitHeaders: 'openai', cnyPerUsd: 1 },
  openrouter: { name: 'openrouter', title: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1', dialect: 'openai-chat', dialects: ['openai-chat', 'openai-responses', 'openai-completions'], keyEnv: 'OPENROUTER_API_KEY', keyRequired: true, authHeader: 'authorization', models: { 'gpt-4.1': 'openai/gpt-4.1', 'claude-sonnet-4.5': 'anthropic/claude-sonnet-4.5', 'gemini-2.5-flash': 'google/gemini-2.5-flash', 'deepseek-v3.2': 'deepseek/deepseek-v3.2' }, rateLimitHeaders: 'openai' },
  openai: { name: 'openai', title: 'OpenAI', baseUrl: 'https://api.openai.com/v1', dialect: 'openai-chat', dialects: ['openai-chat', 'openai-responses', 'openai-completions', 'openai-embeddings'], keyEnv: 'OPENAI_API_KEY', keyRequired: true, authHeader: 'authorization', models: { ...none, 'gpt-4.1': 'gpt-4.1' }, rateLimitHeaders: 'openai' },
  anthropic: { name: 'anthropic', title: 'Anthropic', baseUrl: 'https://api.anthropic.com/v1', dialect: 'anthropic-messages', dialects: ['anthropic-messages'], keyEnv: 'ANTHROPIC_API_KEY', keyRequired: true, authHeader: 'x-api-key', models: { ...none, 'claude-sonnet-4.5': 'claude-sonnet-4-5' }, rateLimitHeaders: 'anthropic' },
  deepseek: { name: 'deepseek', title: 'DeepSeek', baseUrl: 'https://api.deepseek.com/v1', dialect: 'openai-chat', dialects: ['openai-chat'], keyEnv: 'DEEPSEEK_API_KEY', keyRequired: true, authHeader: 'authorization', models: { ...none, 'deepseek-v3.2': 'deepseek-chat' }, rateLimitHeaders: 'none' },
  gemini: { name: 'gemini', title: 'Google Gemini (OpenAI-compatible endpoint)', baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai', dialect: 'openai-chat', dialects: ['openai-chat', 'openai-embeddings'], keyEnv: 'GEMINI_API_KEY', keyRequired: true, authHeader: 'authorization', models: { ...none, 'gemini-2.5-flash': 'gemini-2.5-flash' }, rateLimitHeaders: 'none' },
  groq: { name: 'groq', title: 'Groq', baseUrl: 'https://api.groq.com/openai/v1', dialect: 'openai-chat', dialects: ['openai-chat', 'openai-responses'], keyEnv: 'GROQ_API_KEY', keyRequired: true, authHeader: 'authorization', models: { ...none }, rateLimitHeaders: 'openai' },
  together: { name: 'together', title: 'Together AI', baseUrl: 'https://api.together.xyz/v1', dialect: 'openai-chat', dialects: ['openai-chat', 'openai-completions', 'openai-embeddings'], keyEnv: 'TOGETHER_API_KEY', keyRequired: true, authHeader: 'authorization', models: { ...none, 'deepseek-v3.2': 'deepseek-ai/DeepSeek-V3.2' }, rateLimitHeaders: 'openai' },
  mistral: { name: 'mistral', title: 'Mistral AI', baseUrl: 'https://api.mistral.ai/v1', dialect: 'openai-chat', dialects: ['openai-chat', 'openai-embeddings'], keyEnv: 'MISTRAL_API_KEY', keyRequired: true, authHeader: 'authorization', models: { ...none }, rateLimitHeaders: 'openai' },
  vllm: { name: 'vllm', title: 'vLLM (self-hosted, OpenAI-compatible)', baseUrl: 'http://127.0.0.1:8000/v1', dialect: 'openai-chat', dialects: ['openai-chat', 'openai-completions', 'openai-responses', 'openai-embeddings'], keyEnv: 'VLLM_API_KEY', keyRequired: false, authHeader: 'authorization', models: same, rateLimitHeaders: 'none', selfHosted: true, lengthControls: true },
  llamacpp: { name: 'llamacpp', title: 'llama.cpp server (self-hosted)', baseUrl: 'http://127.0.0.1:8080/v1', dialect: 'openai-chat', dialects: ['openai-chat', 'openai-completions'], keyEnv: 'LLAMACPP_API_KEY', keyRequired: false, authHeader: 'authorization', models: same, rateLimitHeaders: 'none', selfHosted: true, lengthControls: true },
  ollama: { name: 'ollama', title: 'Ollama (self-hosted, OpenAI-compatible)', baseUrl: 'http://127.0.0.1:11434/v1', dialect: 'openai-chat', dialects: ['openai-chat', 'openai-completions', 'openai-embeddings'], keyEnv: null, keyRequired: false, authHeader: 'authorization', models: same, rateLimitHeaders: 'none', selfHosted: true },
};
