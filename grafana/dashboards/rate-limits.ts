// Rate limits: headroom reported by the provider's rate-limit headers.
import { base, layout, InfluxQL, LLM } from './common.ts';

export const rateLimits = () => layout(
  base('llmload-rate-limits', 'llmload / Rate limits', 'Remaining requests and tokens in the current rate-limit window, from x-ratelimit-* / anthropic-ratelimit-* headers, and the 429s they lead to.'),
  [
    { title: 'Headroom', panels: [
      { title: 'Remaining requests', description: 'x-ratelimit-remaining-requests (or anthropic-ratelimit-requests-remaining): lowest value seen per interval.', unit: 'short',
        queries: [new InfluxQL(`SELECT min("value") FROM "llm_ratelimit_remaining_requests" WHERE ${LLM} GROUP BY time($__interval), "provider" fill(none)`).alias('$tag_provider')] },
      { title: 'Remaining tokens', description: 'x-ratelimit-remaining-tokens (or anthropic-ratelimit-tokens-remaining): lowest value seen per interval.', unit: 'short',
        queries: [new InfluxQL(`SELECT min("value") FROM "llm_ratelimit_remaining_tokens" WHERE ${LLM} GROUP BY time($__interval), "provider" fill(none)`).alias('$tag_provider')] },
      { title: '429s and retry waits', description: '429 responses per second and the mean wait before retrying (server hint or jittered backoff).', unit: 'short', w: 24,
        queries: [new InfluxQL(`SELECT sum("value") FROM "llm_rate_limited" WHERE ${LLM} GROUP BY time(1s) fill(none)`, 'A', '429 per second'), new InfluxQL(`SELECT mean("value") / 1000 FROM "llm_retry_wait" WHERE ${LLM} GROUP BY time($__interval) fill(none)`, 'B', 'mean retry wait (s)')] },
    ] },
  ],
);
