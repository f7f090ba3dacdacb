// `import { pickWeighted, safeMaxTokens } from 'llmload/workload'`
export { pickWeighted, chiSquare, type Weighted } from './weighted.ts';
export { safeMaxTokens, budgetFor, PromptTooLongError, CONTEXT_WINDOWS, MIN_OUTPUT_TOKENS } from './token-budget.ts';
export { SEED_MODELS, SEED_PROMPTS, SEED_SYSTEM, SEED_STREAM_PROMPT, type SeedModel } from './seed.ts';
