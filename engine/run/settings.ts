// The run's settings, resolved once: CLI flags over environment over the script's options over
// defaults, each checked here with an error that names the valid choices. Nothing later in the
// run reads process.env or re-parses a flag.
import { readFileSync } from 'node:fs';
import { LIMITS } from '../health.ts';
import { VERSION } from '../version.ts';
import { proxyFor } from '../../lib/llm/proxy.ts';
import { userPrices } from '../../lib/pricing/index.ts';
import { parseDuration } from '../../lib/duration.ts';
import { parseGoodput, type GoodputBounds } from '../../lib/llm/goodput.ts';
import { parseWarmup, type WarmupSpec } from '../../lib/llm/warmup.ts';
import { resolveProvider } from '../../lib/providers/index.ts';
import { parseProviders, expandProviders } from '../config/providers.ts';
import { distributionFromOptions, DistributionError } from '../distributed/distribution.ts';
import { parseStartAt, pickSegment, checkSequence } from '../distributed/barrier.ts';
import { parseRedirects, type RedirectRule } from '../k6/redirect.ts';
import { parseSegment, FULL, type Segment } from '../segments.ts';
import { CliError, EXIT } from '../exitcodes.ts';
import type { ResolvedOptions } from '../config/options.ts';
import type { RunArgs } from './args.ts';

/** chat()'s HTTP clients: our HTTP/1.1 reader (lib/llm/h1) or undici */
export const HTTP_CLIENTS = ['llmload', 'undici'];

/** What can be checked before the script is bundled: the start barrier (read first, so "+30s"
 *  counts from the command's start), redirects and the segment. */
export interface EarlySettings {
  barrier: { targetEpochMs: number; toleranceMs: number } | null;
  redirects: RedirectRule[];
  segment: Segment;
}

export function earlySettings(args: RunArgs): EarlySettings {
  let barrier: EarlySettings['barrier'] = null;
  try { barrier = args.startAt ? parseStartAt(args.startAt, args.startTolerance) : null; } catch (e) { throw new CliError((e as Error).message, EXIT.INVALID_CONFIG); }
  let redirects: RedirectRule[];
  try { redirects = parseRedirects(args.redirects ?? []); } catch (e) { throw new CliError((e as Error).message, EXIT.INVALID_CONFIG); }
  let segment: Segment = FULL;
  try {
    if (args.segment) segment = parseSegment(pickSegment(args.segment, args.shardIndex));
    if (args.segmentSequence) checkSequence(args.segmentSequence, segment, args.segmentNames); // ownership needs no sequence (engine/segments.ts); merge does
  } catch (e) { throw new CliError(`${(e as Error).message} (in --segment/--segment-sequence/--shard-index)`, EXIT.INVALID_CONFIG); }
  return { barrier, redirects, segment };
}

/** What depends on the script's options; `options` is completed in place (options.raw.llm gets
 *  the HTTP client and goodput bounds the VU threads read; scenarios are multiplied by PROVIDERS). */
export interface RunSettings {
  timingErrorLimit: number;
  /** every request's User-Agent ('' sends none) */
  userAgent: string;
  httpClient: string;
  providers: string[];
  goodput: GoodputBounds | null;
  /** --warmup, LLMLOAD_WARMUP, options.llm.warmup (lib/llm/warmup.ts); null: none */
  warmup: WarmupSpec | null;
}

export function runSettings(args: RunArgs, options: ResolvedOptions, processEnv: NodeJS.ProcessEnv = process.env): RunSettings {
  // the timing-error limit of the health verdict: --timing-error-limit, options.llmload.timingErrorLimit, 5 ms
  let timingErrorLimit = LIMITS.timingErrorMs;
  const teRaw = args.timingErrorLimit ?? ((options.raw.llmload ?? {}) as { timingErrorLimit?: string }).timingErrorLimit;
  if (teRaw !== undefined) { try { timingErrorLimit = parseDuration(String(teRaw), '--timing-error-limit'); } catch (e) { throw new CliError(`${(e as Error).message} (the health verdict's timing-error limit, e.g. 5ms)`, EXIT.INVALID_CONFIG); } }
  // the HTTP client of chat(): --http-client, LLMLOAD_HTTP_CLIENT, options.llm.httpClient,
  // our own HTTP/1.1 reader by default (lib/llm/h1; docs/PERFORMANCE.md has the measurements)
  const httpClient = String(args.httpClient ?? processEnv.LLMLOAD_HTTP_CLIENT ?? ((options.raw.llm ?? {}) as { httpClient?: unknown }).httpClient ?? 'llmload');
  if (!HTTP_CLIENTS.includes(httpClient)) throw new CliError(`unknown HTTP client "${httpClient}" (--http-client, LLMLOAD_HTTP_CLIENT or options.llm.httpClient): valid choices are ${HTTP_CLIENTS.join(', ')}`, EXIT.INVALID_CONFIG);
  options.raw.llm = { ...(options.raw.llm as object | undefined), httpClient };
  // a distribution is checked in every run (one shard of a plan or not), so a bad one fails
  // here as it would in `plan` and `run --shards`
  try { distributionFromOptions(options.raw); } catch (e) { if (e instanceof DistributionError) throw new CliError(e.message, EXIT.INVALID_CONFIG); throw e; }
  // PROVIDERS=a,b: the same load on each provider at once (engine/config/providers.ts); every
  // provider's key is checked now, before any request
  let providers: string[];
  try { providers = parseProviders(args.env.PROVIDERS); } catch (e) { throw new CliError((e as Error).message, EXIT.INVALID_CONFIG); }
  for (const p of providers) {
    try { resolveProvider(p, args.env); } catch (e) { const ce = e as { exitCode?: number; message: string }; throw new CliError(`PROVIDERS: ${ce.message}`, ce.exitCode ?? EXIT.INVALID_CONFIG); }
  }
  options.scenarios = expandProviders(options.scenarios, providers);
  // goodput bounds: --goodput wins over options.llm.goodput; checked here, once (lib/llm/goodput.ts)
  const llmRaw = (options.raw.llm ?? {}) as Record<string, unknown>;
  const goodSpec = args.goodput && args.goodput.length ? args.goodput.join(' ') : llmRaw.goodput;
  let goodput: GoodputBounds | null;
  try { goodput = parseGoodput(goodSpec as string | undefined); } catch (e) { throw new CliError(`${(e as Error).message}${args.goodput?.length ? '' : ' (in options.llm.goodput)'}`, EXIT.INVALID_CONFIG); }
  if (goodput) options.raw.llm = { ...llmRaw, goodput };
  const userAgent = tlsAndAgent(args, options, processEnv);
  // the run's own prices: checked once here (a bad field is one line, exit 104); every thread
  // reads them from options.llm.prices (lib/pricing)
  try { userPrices((options.raw.llm as { prices?: unknown } | undefined)?.prices); } catch (e) { throw new CliError((e as Error).message, EXIT.INVALID_CONFIG); }
  // a proxy URL that does not parse fails here, once, not in every request
  for (const probe of ['https://llmload.invalid/', 'http://llmload.invalid/']) {
    try { proxyFor(new URL(probe), args.env); } catch (e) { throw new CliError(`${(e as Error).message} (or unset it)`, EXIT.INVALID_CONFIG); }
  }
  // warm-up: --warmup, LLMLOAD_WARMUP, options.llm.warmup (a duration or a number of LLM calls)
  const wuRaw = args.warmup ?? processEnv.LLMLOAD_WARMUP ?? (options.raw.llm as { warmup?: unknown } | undefined)?.warmup;
  let warmup: WarmupSpec | null;
  try { warmup = parseWarmup(wuRaw, (s) => parseDuration(s, '--warmup')); } catch (e) { throw new CliError(`${(e as Error).message} (--warmup, LLMLOAD_WARMUP or options.llm.warmup)`, EXIT.INVALID_CONFIG); }
  // --usage-check N over options.llm.usageCheck: 1 in N answers counted on the client too
  const ucRaw = args.usageCheck ?? (options.raw.llm as { usageCheck?: unknown } | undefined)?.usageCheck;
  if (ucRaw !== undefined && ucRaw !== false) {
    const n = ucRaw === true ? 10 : Number(ucRaw);
    if (!(Number.isInteger(n) && n >= 1)) throw new CliError(`invalid usage check "${ucRaw}" (--usage-check or options.llm.usageCheck): a whole number N ≥ 1, to count 1 in N answers (1: every one)`, EXIT.INVALID_CONFIG);
    options.raw.llm = { ...(options.raw.llm as object | undefined), usageCheck: n };
  }
  return { timingErrorLimit, httpClient, providers, goodput, userAgent, warmup };
}

/** TLS (k6's insecureSkipTLSVerify and tlsAuth, a CA file) and the User-Agent into the options
 *  every thread reads (lib/llm/tls.ts, chat(), k6/http); returns the User-Agent */
function tlsAndAgent(args: RunArgs, options: ResolvedOptions, processEnv: NodeJS.ProcessEnv): string {
  if (args.insecureSkipTlsVerify) options.raw.insecureSkipTLSVerify = true;
  const llm = (options.raw.llm ?? {}) as Record<string, unknown>;
  const caFile = args.tlsCa ?? processEnv.LLMLOAD_TLS_CA ?? (llm.tlsCaFile as string | undefined);
  if (caFile) {
    let pem: string;
    try { pem = readFileSync(caFile, 'utf8'); } catch (e) { throw new CliError(`cannot read the CA file ${caFile} (--tls-ca, LLMLOAD_TLS_CA or options.llm.tlsCaFile): ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; give a PEM file of CA certificates`, EXIT.INVALID_CONFIG); }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new CliError(`the CA file ${caFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----): give a PEM file of CA certificates`, EXIT.INVALID_CONFIG);
    options.raw.llm = { ...llm, tlsCa: pem };
  }
  const ua = args.userAgent ?? (options.raw.userAgent as string | undefined) ?? `llmload/${VERSION} (k6 compatible)`;
  options.raw.userAgent = ua;
  return ua;
}
