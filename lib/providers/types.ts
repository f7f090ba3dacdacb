export type DialectName = 'openai-chat' | 'anthropic-messages' | 'openai-responses' | 'openai-completions' | 'openai-embeddings';

/** One provider, declared as data (lib/providers/registry.ts). */
export interface ProviderDef {
  name: string;
  title: string;
  baseUrl: string;
  dialect: DialectName;
  /** every wire format it serves (chat()'s `dialect` option picks one; default: `dialect`) */
  dialects?: DialectName[];
  /** env var holding the key; null when none is needed (simulator, self-hosted) */
  keyEnv: string | null;
  keyRequired: boolean;
  authHeader: 'authorization' | 'x-api-key';
  /** seed model name → this provider's id; null = not offered here */
  models: Record<string, string | null>;
  rateLimitHeaders: 'openai' | 'anthropic' | 'none';
  /** how many CNY one USD of usage costs here (HolySheep bills ¥1 per $1) */
  cnyPerUsd?: number;
  selfHosted?: boolean;
  /** accepts vLLM's output-length controls (min_tokens, ignore_eos): a synthetic workload can
   *  hold the answer's length exactly (lib/workload/synthetic.ts); hosted APIs refuse them */
  lengthControls?: boolean;
  docs?: string;
}

/** What the client needs to send a request. */
export interface ResolvedProvider {
  name: string;
  baseUrl: string;
  dialect: DialectName;
  /** the dialects it serves (default: its dialect only) */
  dialects?: DialectName[];
  apiKey?: string;
  models?: Record<string, string | null>;
  cnyPerUsd?: number;
  lengthControls?: boolean;
}
