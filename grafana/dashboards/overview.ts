// Overview: throughput, concurrency, errors, 429s and retries of a run.
import { base, layout, q, perSecondBy, InfluxQL, RI, RUN, LLM, PRUN, PLLM, type Datasource } from './common.ts';

export const overview = (ds: Datasource) => layout(
  base('llmload-overview', 'llmload / Overview', 'Throughput, concurrency, errors by kind, 429s and retries of an llmload run.', ds),
  [
    { title: 'Load', panels: [
      { title: 'Requests per second', description: 'HTTP requests sent per second (every attempt, retries included), by status.', unit: 'reqps', stack: true,
        queries: [perSecondBy('http_reqs', 'status')] },
      { title: 'Active VUs and streams', description: 'Virtual users running and LLM requests in flight at the end of each second (summed over runners).', unit: 'short',
        queries: [q(new InfluxQL(`SELECT last("value") FROM "vus" WHERE ${RUN} GROUP BY time($__interval) fill(none)`, 'A', 'VUs'), `sum(k6_vus{${PRUN}})`, 'VUs'),
          q(new InfluxQL(`SELECT last("value") FROM "llm_active_streams" WHERE ${RUN} GROUP BY time($__interval) fill(none)`, 'B', 'streams in flight'), `sum(k6_llm_active_streams{${PRUN}})`, 'streams in flight')] },
    ] },
    { title: 'Zones', panels: [
      { title: 'Requests per second by zone', description: 'LLM calls per second from each load zone of a multi-region run (the shards\' region tag; docs/DISTRIBUTED.md).', unit: 'reqps', stack: true,
        queries: [perSecondBy('llm_requests', 'region', ' AND "region" =~ /^$region$/', ', region=~"$region"')] },
      { title: 'TTFT p95 by zone', description: 'Time to first token, p95, as each zone saw the target: a zone far from the endpoint pays its network distance here.', unit: 'ms',
        queries: [q(new InfluxQL(`SELECT max("p95") FROM "llm_ttft" WHERE ${LLM} AND "region" =~ /^$region$/ GROUP BY time($__interval), "region" fill(none)`).alias('$tag_region'),
          `max by (region) (k6_llm_ttft_p95{${PLLM}, region=~"$region"}) * 1000`, '{{region}}')] },
    ] },
    { title: 'Recovery', panels: [
      { title: 'Recovery after the spike', description: 'Seconds from the start of a load spike until TTFT p95 and the error rate stay within tolerance of the pre-spike baseline (PROFILE=spike; docs/METRICS.md, "Recovery"). Written once, at the end of the run.', unit: 's', w: 24,
        queries: [q(new InfluxQL(`SELECT last("value") FROM "llm_recovery_seconds" WHERE ${RUN} GROUP BY time($__interval) fill(none)`, 'A', 'recovery (s)'),
          `max(k6_llm_recovery_seconds{${PRUN}})`, 'recovery (s)')] },
    ] },
    { title: 'Errors', panels: [
      { title: 'Failed requests by error kind', description: 'LLM calls that failed after retries, per second, by error_kind (the closed taxonomy in docs/METRICS.md).', unit: 'reqps', stack: true,
        queries: [perSecondBy('llm_requests', 'error_kind', ' AND "error_kind" =~ /.+/', ', error_kind!=""')] },
      { title: 'Error rate', description: 'Share of LLM calls that failed (llm_errors), per interval.', unit: 'percentunit', threshold: 0.05,
        queries: [q(new InfluxQL(`SELECT mean("value") FROM "llm_errors" WHERE ${LLM} GROUP BY time($__interval) fill(none)`, 'A', 'error rate'),
          `sum(rate(k6_llm_errors_passes_total{${PLLM}}${RI})) / sum(rate(k6_llm_errors_samples_total{${PLLM}}${RI}))`, 'error rate')] },
      { title: '429 responses', description: 'Responses with HTTP 429 per second (each one, also those retried successfully).', unit: 'reqps',
        queries: [perSecondBy('llm_rate_limited', 'model')] },
      { title: 'Retries', description: 'Retries per second after 429, 5xx, 529 or connect errors (lib/llm backoff).', unit: 'short',
        queries: [perSecondBy('llm_retries', 'model')] },
    ] },
  ],
  ds,
);
