// `import { chat } from 'llmload/llm'` — the streaming LLM client (docs/METRICS.md).
export { chat, type ChatOptions, type ChatResult, type Timeouts } from './chat.ts';
export { embed, type EmbedOptions, type EmbedResult } from './embed.ts';
export { SseParser, type SseEvent } from './sse.ts';
export { DIALECTS } from './dialects/index.ts';
export { classifyHttpError } from './errors.ts';
export { retryAfterMs, parseRateLimit } from './ratelimit.ts';
export { backoffMs, retryWait, DEFAULT_RETRY } from './backoff.ts';
export { countTokens, tokenCounter } from './tokens.ts';
export { ERROR_KINDS, type ErrorKind, type LlmError, type Usage, type ToolCall } from './types.ts';
export type { DialectName } from '../providers/types.ts';
export { undiciTransport, type Transport } from './transport.ts';
