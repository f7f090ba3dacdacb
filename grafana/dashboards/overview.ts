// Overview: throughput, concurrency, errors, 429s and retries of a run.
import { base, layout, InfluxQL, RUN, LLM } from './common.ts';

export const overview = () => layout(
  base('llmload-overview', 'llmload / Overview', 'Throughput, concurrency, errors by kind, 429s and retries of an llmload run.'),
  [
    { title: 'Load', panels: [
      { title: 'Requests per second', description: 'HTTP requests sent per second (every attempt, retries included), by status.', unit: 'reqps', stack: true,
        queries: [new InfluxQL(`SELECT sum("value") FROM "http_reqs" WHERE ${LLM} GROUP BY time(1s), "status" fill(none)`).alias('$tag_status')] },
      { title: 'Active VUs and streams', description: 'Virtual users running and LLM requests in flight at the end of each second.', unit: 'short',
        queries: [new InfluxQL(`SELECT last("value") FROM "vus" WHERE ${RUN} GROUP BY time($__interval) fill(none)`, 'A', 'VUs'), new InfluxQL(`SELECT last("value") FROM "llm_active_streams" WHERE ${RUN} GROUP BY time($__interval) fill(none)`, 'B', 'streams in flight')] },
    ] },
    { title: 'Errors', panels: [
      { title: 'Failed requests by error kind', description: 'LLM calls that failed after retries, per second, by error_kind (the closed taxonomy in docs/METRICS.md).', unit: 'reqps', stack: true,
        queries: [new InfluxQL(`SELECT sum("value") FROM "llm_requests" WHERE ${LLM} AND "error_kind" =~ /.+/ GROUP BY time(1s), "error_kind" fill(none)`).alias('$tag_error_kind')] },
      { title: 'Error rate', description: 'Share of LLM calls that failed (llm_errors), per interval.', unit: 'percentunit', threshold: 0.05,
        queries: [new InfluxQL(`SELECT mean("value") FROM "llm_errors" WHERE ${LLM} GROUP BY time($__interval) fill(none)`, 'A', 'error rate')] },
      { title: '429 responses', description: 'Responses with HTTP 429 per second (each one, also those retried successfully).', unit: 'reqps',
        queries: [new InfluxQL(`SELECT sum("value") FROM "llm_rate_limited" WHERE ${LLM} GROUP BY time(1s), "model" fill(none)`).alias('$tag_model')] },
      { title: 'Retries', description: 'Retries per second after 429, 5xx, 529 or connect errors (lib/llm backoff).', unit: 'short',
        queries: [new InfluxQL(`SELECT sum("value") FROM "llm_retries" WHERE ${LLM} GROUP BY time(1s), "model" fill(none)`).alias('$tag_model')] },
    ] },
  ],
);
