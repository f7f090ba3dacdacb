// Tokens & cost: the seed's "unified cost tracker in both USD and CNY".
import { base, layout, q, perSecondBy, InfluxQL, LLM, PLLM, type Datasource } from './common.ts';

export const tokensCost = (ds: Datasource) => layout(
  base('llmload-tokens-cost', 'llmload / Tokens & cost', 'Input and output tokens per model, decode speed, and cumulative cost in USD and CNY.', ds),
  [
    { title: 'Tokens', panels: [
      { title: 'Output tokens per second', description: 'Output tokens received per second, by model (from usage; estimated with gpt-tokenizer when a server sends none).', unit: 'short', stack: true,
        queries: [perSecondBy('llm_output_tokens', 'model')] },
      { title: 'Input tokens per second', description: 'Prompt tokens sent per second, by model.', unit: 'short', stack: true,
        queries: [perSecondBy('llm_input_tokens', 'model')] },
      { title: 'Decode speed per stream', description: 'Output tokens per second within a stream after its first token: (output_tokens − 1) / (e2e − ttft). InfluxDB: the mean; Prometheus: the median per push interval.', unit: 'short', w: 24,
        queries: [q(new InfluxQL(`SELECT mean("value") FROM "llm_tokens_per_second" WHERE ${LLM} GROUP BY time($__interval), "model" fill(none)`).alias('$tag_model'),
          `max by (model) (k6_llm_tokens_per_second_p50{${PLLM}})`, '{{model}}')] },
    ] },
    { title: 'Prompt cache', panels: [
      { title: 'Cached input tokens per second', description: 'Prompt tokens the provider served from its prompt cache, per second, by model (usage: OpenAI cached_tokens, Anthropic cache_read_input_tokens, DeepSeek prompt_cache_hit_tokens; docs/METRICS.md). Against "Input tokens per second" above, the share cached; billed at the cached rate.', unit: 'short', w: 24, stack: true,
        queries: [perSecondBy('llm_cached_input_tokens', 'model')] },
    ] },
    { title: 'Cost', panels: [
      { title: 'Cumulative cost (USD)', description: 'Spend so far: usage × price per provider and model (lib/pricing, sources in the file).', unit: 'currencyUSD',
        queries: [q(new InfluxQL(`SELECT cumulative_sum(sum("value")) FROM "llm_cost_usd" WHERE ${LLM} GROUP BY time($__interval), "model" fill(none)`).alias('$tag_model'),
          `sum by (model) (k6_llm_cost_usd_total{${PLLM}})`, '{{model}}')] },
      { title: 'Cumulative cost (CNY)', description: 'The same spend in CNY: ¥1 per $1 at HolySheep, the market rate (7.3, CNY_PER_USD) elsewhere.', unit: 'currencyCNY',
        queries: [q(new InfluxQL(`SELECT cumulative_sum(sum("value")) FROM "llm_cost_cny" WHERE ${LLM} GROUP BY time($__interval), "model" fill(none)`).alias('$tag_model'),
          `sum by (model) (k6_llm_cost_cny_total{${PLLM}})`, '{{model}}')] },
    ] },
  ],
  ds,
);
