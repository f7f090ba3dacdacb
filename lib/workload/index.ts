// `import { pickWeighted, safeMaxTokens } from 'llmload/workload'`
export { pickWeighted, chiSquare, type Weighted } from './weighted.ts';
export { safeMaxTokens, budgetFor, PromptTooLongError, CONTEXT_WINDOWS, MIN_OUTPUT_TOKENS } from './token-budget.ts';
export { SEED_MODELS, SEED_PROMPTS, SEED_SYSTEM, SEED_STREAM_PROMPT, type SeedModel } from './seed.ts';
export { synthetic, wordPool, textOfTokens, type SyntheticOptions, type SyntheticRequest } from './synthetic.ts';
export { lengthSampler, LengthError, type LengthSpec } from './lengths.ts';
export { dataset, DatasetError, FORMATS, type DatasetOptions, type DatasetItem, type DatasetRecord } from './dataset.ts';
export { trace, traceOffsets, BLOCK_TOKENS, type TraceRequest } from './trace.ts';
export { conversation, type ConversationOptions, type Turn } from './conversation.ts';
export { prefixPool } from './synthetic.ts';
