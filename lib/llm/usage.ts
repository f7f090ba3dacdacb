// Every provider's usage shape, read into one (docs/METRICS.md, "Tokens, cache and reasoning"):
//  - OpenAI chat (and OpenRouter, Gemini's OpenAI endpoint, vLLM, Groq's x_groq.usage):
//    prompt_tokens (all of them), prompt_tokens_details.cached_tokens,
//    completion_tokens, completion_tokens_details.reasoning_tokens
//    https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage
//  - DeepSeek: prompt_cache_hit_tokens + prompt_cache_miss_tokens = prompt_tokens
//    https://api-docs.deepseek.com/guides/kv_cache
//  - Anthropic Messages: input_tokens (uncached), cache_read_input_tokens,
//    cache_creation_input_tokens, output_tokens — input counts all three parts here
//    https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching#tracking-cache-performance
//  - OpenAI Responses: input_tokens (all of them), input_tokens_details.cached_tokens,
//    output_tokens, output_tokens_details.reasoning_tokens
//    https://platform.openai.com/docs/api-reference/responses/object#responses/object-usage
export interface RawUsage {
  /** every prompt token: cached and cache-written ones included */
  input_tokens: number;
  output_tokens: number;
  /** prompt tokens served from the provider's cache */
  cached_tokens?: number;
  /** prompt tokens written to the cache (Anthropic) */
  cache_write_tokens?: number;
  /** output tokens spent reasoning (part of output_tokens) */
  reasoning_tokens?: number;
}

type Json = Record<string, any>;
const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** OpenAI-compatible usage (incl. DeepSeek's cache fields and Groq's x_groq.usage), or null */
export function openaiUsage(o: Json): RawUsage | null {
  const u = (o.usage && typeof o.usage === 'object' ? o.usage : null) ?? o.x_groq?.usage ?? null;
  if (!u || typeof u.prompt_tokens !== 'number') return null;
  const r: RawUsage = { input_tokens: u.prompt_tokens, output_tokens: n(u.completion_tokens) };
  const cached = n(u.prompt_tokens_details?.cached_tokens) || n(u.prompt_cache_hit_tokens);
  if (cached) r.cached_tokens = cached;
  const write = n(u.prompt_tokens_details?.cache_write_tokens);
  if (write) r.cache_write_tokens = write;
  const reasoning = n(u.completion_tokens_details?.reasoning_tokens);
  if (reasoning) r.reasoning_tokens = reasoning;
  return r;
}

/** Anthropic usage (message_start's, with message_delta's output), or null */
export function anthropicUsage(u: Json | null | undefined, outputTokens?: number): RawUsage | null {
  if (!u || typeof u !== 'object') return null;
  const read = n(u.cache_read_input_tokens), write = n(u.cache_creation_input_tokens);
  const r: RawUsage = { input_tokens: n(u.input_tokens) + read + write, output_tokens: outputTokens ?? n(u.output_tokens) };
  if (read) r.cached_tokens = read;
  if (write) r.cache_write_tokens = write;
  return r;
}

/** OpenAI Responses usage (response.usage), or null */
export function responsesUsage(u: Json | null | undefined): RawUsage | null {
  if (!u || typeof u !== 'object' || typeof u.input_tokens !== 'number') return null;
  const r: RawUsage = { input_tokens: u.input_tokens, output_tokens: n(u.output_tokens) };
  const cached = n(u.input_tokens_details?.cached_tokens);
  if (cached) r.cached_tokens = cached;
  const reasoning = n(u.output_tokens_details?.reasoning_tokens);
  if (reasoning) r.reasoning_tokens = reasoning;
  return r;
}
