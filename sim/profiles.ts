// Named latency profiles. The seed-provider profiles are ILLUSTRATIVE, NOT MEASUREMENTS:
// their TTFT quantiles and error rates are shaped after the seed article's comparison table
// (median / p95 / p99 latency, error rate at 200 users), so that `make bench` and provider
// comparisons run offline with plausible, different shapes. Never quote them as data.
import type { Dist } from './dist.ts';

export interface Profile {
  description: string;
  /** base time to first token, before prefill and queueing */
  ttft: Dist;
  /** prefill cost per input token, ms */
  prefillMsPerToken: number;
  /** gap between output tokens */
  itl: Dist;
  /** output length before max_tokens caps it */
  outputTokens: Dist;
  /** concurrent generations; more wait in a bounded queue; a full queue answers 503/529 */
  concurrency: number;
  queue: number;
  /** ITL grows by this fraction per concurrently active stream (batching slowdown) */
  slowdownPerStream: number;
  /** share of requests answered with a 5xx (seed's error rate) */
  errorRate: number;
  rpm?: number;
  tpm?: number;
}

export const PROFILES: Record<string, Profile> = {
  fast: {
    description: 'for tests: constant 100 ms TTFT, 10 ms ITL, 50 tokens, no errors, no limits',
    ttft: { kind: 'constant', value: 100 }, prefillMsPerToken: 0, itl: { kind: 'constant', value: 10 }, outputTokens: { kind: 'constant', value: 50 },
    concurrency: 100_000, queue: 0, slowdownPerStream: 0, errorRate: 0,
  },
  holysheep: {
    description: 'illustrative, after the seed table: median 47 ms, p95 892 ms, p99 1,456 ms, 0.8 % errors',
    ttft: { kind: 'quantiles', points: [[0, 20], [0.5, 47], [0.95, 892], [0.99, 1456], [1, 2200]] }, prefillMsPerToken: 0.02,
    itl: { kind: 'lognormal', median: 6, sigma: 0.25 }, outputTokens: { kind: 'lognormal', median: 120, sigma: 0.5 },
    concurrency: 512, queue: 1024, slowdownPerStream: 0.0005, errorRate: 0.008, rpm: 6000, tpm: 6_000_000,
  },
  openrouter: {
    description: 'illustrative, after the seed table: median 312 ms, p95 2,847 ms, p99 8,234 ms, 4.2 % errors',
    ttft: { kind: 'quantiles', points: [[0, 120], [0.5, 312], [0.95, 2847], [0.99, 8234], [1, 12000]] }, prefillMsPerToken: 0.05,
    itl: { kind: 'lognormal', median: 12, sigma: 0.35 }, outputTokens: { kind: 'lognormal', median: 120, sigma: 0.5 },
    concurrency: 128, queue: 256, slowdownPerStream: 0.004, errorRate: 0.042, rpm: 1200, tpm: 1_000_000,
  },
  openai: {
    description: 'illustrative, after the seed table: median 189 ms, p95 1,203 ms, p99 3,567 ms, 1.9 % errors',
    ttft: { kind: 'quantiles', points: [[0, 80], [0.5, 189], [0.95, 1203], [0.99, 3567], [1, 5000]] }, prefillMsPerToken: 0.03,
    itl: { kind: 'lognormal', median: 9, sigma: 0.3 }, outputTokens: { kind: 'lognormal', median: 120, sigma: 0.5 },
    concurrency: 256, queue: 512, slowdownPerStream: 0.002, errorRate: 0.019, rpm: 5000, tpm: 2_000_000,
  },
};

export function profile(name: string): Profile {
  const p = PROFILES[name];
  if (!p) throw new Error(`unknown profile "${name}": valid profiles are ${Object.keys(PROFILES).join(', ')}`);
  return p;
}
