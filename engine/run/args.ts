// What `llmload run` is asked to do (engine/cli.ts fills it from flags) and the hooks its
// callers (the CLI's budget guard, search, distributed runs) attach.
import type { ResolvedOptions } from '../config/options.ts';
import type { MetricStore } from '../metrics/store.ts';
import type { SummaryData } from '../summary/build.ts';

export interface RunArgs {
  script: string;
  env: Record<string, string>;
  vus?: number; duration?: string; iterations?: number; stages?: string[];
  summaryExport?: string; junit?: string; resultsDir?: string;
  outs: string[];
  noThresholds?: boolean; quiet?: boolean; color: boolean; noSummary?: boolean;
  segment?: string; segmentSequence?: string; workers?: number;
  tags: Record<string, string>; testid?: string;
  budgetUsd?: number; yes?: boolean; typecheck?: boolean;
  /** --warmup 30s | 50: the first seconds or LLM calls are left out of every metric (lib/llm/warmup.ts) */
  warmup?: string;
  /** --usage-check N: count 1 in N answers with usage on the client too (lib/llm/outcome.ts) */
  usageCheck?: string;
  /** --redirect FROM=TO rules (engine/k6/redirect.ts) */
  redirects?: string[];
  /** --compat k6|native|auto (engine/k6/mode.ts) */
  compat?: string;
  /** false: no requests.ndjson.gz (--no-request-log) */
  requestLog?: boolean;
  /** --goodput ttft:500 tpot:50 e2e:2000 (lib/llm/goodput.ts) */
  goodput?: string[];
  /** --start-at: RFC 3339 or +30s; the executors start at that wall-clock instant (engine/distributed/barrier.ts) */
  startAt?: string;
  /** --start-tolerance: a start further than this from --start-at is reported as missed */
  startTolerance?: string;
  /** --shard-index: pick this entry of a comma-separated --segment list (Kubernetes Indexed Jobs) */
  shardIndex?: number;
  /** --segment-names: the sequence's segments' names (zone-index), for merge to name missing shards */
  segmentNames?: string;
  /** --print-state: the shard's mergeable state as the last stdout line */
  printState?: boolean;
  /** --timing-error-limit: the health verdict's bound on timestamp error (default 5 ms) */
  timingErrorLimit?: string;
  httpClient?: string;
  /** --insecure-skip-tls-verify, --tls-ca FILE, --user-agent (engine/run/settings.ts) */
  insecureSkipTlsVerify?: boolean;
  tlsCa?: string;
  userAgent?: string;
}

export interface RunHooks {
  /** called after options resolve, before setup: plan checks such as the budget guard */
  preflight?: (ctx: { options: ResolvedOptions; env: Record<string, string>; mod: Record<string, unknown>; log: (s: string) => void; needsSim?: boolean }) => Promise<void> | void;
  /** called with each merged interval: live checks such as the spend cap; return a reason to abort */
  watch?: (store: MetricStore) => { reason: string; code: number } | null;
  /** adds fields to the summary (e.g. run metadata) */
  decorate?: (s: SummaryData) => void | Promise<void>;
  /** always called at the end, also after errors */
  cleanup?: () => void | Promise<void>;
}
