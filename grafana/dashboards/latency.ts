// Latency: TTFT, ITL and end-to-end percentiles per model and provider.
import { base, layout, q, InfluxQL, LLM, PLLM, type PanelSpec, type Datasource } from './common.ts';

// PromQL: the per-push-interval stat gauges (K6_PROMETHEUS_RW_TREND_STATS includes p(50),
// p(95), p(99) by default), seconds → ms; across runners `max` is an upper bound, not the
// merged quantile (docs/OUTPUTS.md: native histograms or `llmload merge` for exact ones)
const pct = (metric: string, title: string, description: string, threshold?: number): PanelSpec => ({
  title, description, unit: 'ms', w: 24, threshold,
  queries: [
    q(new InfluxQL(`SELECT max("p50") AS "p50", max("p95") AS "p95", max("p99") AS "p99" FROM "${metric}" WHERE ${LLM} GROUP BY time($__interval), "provider", "model" fill(none)`).alias('$tag_model $col ($tag_provider)'),
      `max by (provider, model) (k6_${metric}_p50{${PLLM}}) * 1000`, '{{model}} p50 ({{provider}})'),
    q(null, `max by (provider, model) (k6_${metric}_p95{${PLLM}}) * 1000`, '{{model}} p95 ({{provider}})'),
    q(null, `max by (provider, model) (k6_${metric}_p99{${PLLM}}) * 1000`, '{{model}} p99 ({{provider}})'),
  ],
});

export const latency = (ds: Datasource) => layout(
  base('llmload-latency', 'llmload / Latency', 'Time to first token, inter-token latency and end-to-end latency: p50/p95/p99 per model and provider.', ds),
  [
    { title: 'Time to first token', panels: [pct('llm_ttft', 'TTFT p50 / p95 / p99', 'Request dispatch to the first output token (content, reasoning or tool call), streams only. Red line: the bench threshold p(95) < 1500 ms.', 1500)] },
    { title: 'Inter-token latency', panels: [pct('llm_itl', 'ITL p50 / p95 / p99', 'Gap between consecutive output events of a stream.')] },
    { title: 'End to end', panels: [pct('llm_e2e', 'End-to-end p50 / p95 / p99', 'Dispatch to the last byte of a successful response (retry waits excluded). Red line: the seed threshold p(95) < 3000 ms.', 3000)] },
  ],
  ds,
);
