// Rate limits: headroom reported by the provider's rate-limit headers.
import { base, layout, q, InfluxQL, LLM, PLLM, type Datasource } from './common.ts';

export const rateLimits = (ds: Datasource) => layout(
  base('llmload-rate-limits', 'llmload / Rate limits', 'Remaining requests and tokens in the current rate-limit window, from x-ratelimit-* / anthropic-ratelimit-* headers, and the 429s they lead to.', ds),
  [
    { title: 'Headroom', panels: [
      { title: 'Remaining requests', description: 'x-ratelimit-remaining-requests (or anthropic-ratelimit-requests-remaining): lowest value seen per interval (Prometheus: the last per push interval).', unit: 'short',
        queries: [q(new InfluxQL(`SELECT min("value") FROM "llm_ratelimit_remaining_requests" WHERE ${LLM} GROUP BY time($__interval), "provider" fill(none)`).alias('$tag_provider'),
          `min by (provider) (k6_llm_ratelimit_remaining_requests{${PLLM}})`, '{{provider}}')] },
      { title: 'Remaining tokens', description: 'x-ratelimit-remaining-tokens (or anthropic-ratelimit-tokens-remaining): lowest value seen per interval (Prometheus: the last per push interval).', unit: 'short',
        queries: [q(new InfluxQL(`SELECT min("value") FROM "llm_ratelimit_remaining_tokens" WHERE ${LLM} GROUP BY time($__interval), "provider" fill(none)`).alias('$tag_provider'),
          `min by (provider) (k6_llm_ratelimit_remaining_tokens{${PLLM}})`, '{{provider}}')] },
      { title: '429s and retry waits', description: '429 responses per second and the wait before retrying (server hint or jittered backoff): InfluxDB the mean, Prometheus the median.', unit: 'short', w: 24,
        queries: [q(new InfluxQL(`SELECT sum("value") FROM "llm_rate_limited" WHERE ${LLM} GROUP BY time(1s) fill(none)`, 'A', '429 per second'), `sum(rate(k6_llm_rate_limited_total{${PLLM}}[$__rate_interval]))`, '429 per second'),
          q(new InfluxQL(`SELECT mean("value") / 1000 FROM "llm_retry_wait" WHERE ${LLM} GROUP BY time($__interval) fill(none)`, 'B', 'mean retry wait (s)'), `max(k6_llm_retry_wait_p50{${PLLM}})`, 'median retry wait (s)')] },
    ] },
  ],
  ds,
);
