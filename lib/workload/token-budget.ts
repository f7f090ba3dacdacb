// Token budgeting, the seed's "common error 3": count the prompt's tokens and give the request
// a max_tokens that fits the model's context window; refuse prompts that leave too little.
import { countTokens } from '../llm/tokens.ts';

/** Context windows (tokens) of the seed's models; override per call. */
export const CONTEXT_WINDOWS: Record<string, number> = {
  'gpt-4.1': 1_047_576,
  'claude-sonnet-4.5': 200_000,
  'gemini-2.5-flash': 1_048_576,
  'deepseek-v3.2': 128_000,
};

export const MIN_OUTPUT_TOKENS = 50;

export class PromptTooLongError extends Error {}

export interface Budget { inputTokens: number; maxTokens: number }

/** Pure: the safe max_tokens for a prompt of `inputTokens` in a `contextWindow`. */
export function budgetFor(inputTokens: number, desiredMaxTokens: number, contextWindow: number, minOutput = MIN_OUTPUT_TOKENS): Budget {
  const available = Math.min(desiredMaxTokens, contextWindow - inputTokens);
  if (available < minOutput) throw new PromptTooLongError(`prompt too long: ${inputTokens} input tokens leave ${Math.max(0, contextWindow - inputTokens)} of a ${contextWindow}-token context, fewer than ${minOutput} for the answer; shorten the prompt`);
  return { inputTokens, maxTokens: available };
}

/** Counts the messages' tokens (gpt-tokenizer) and returns a safe max_tokens for the model. */
export async function safeMaxTokens(model: string, messages: Array<{ content: unknown }>, desiredMaxTokens: number, opts: { contextWindow?: number; minOutput?: number } = {}): Promise<Budget> {
  const text = messages.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n');
  // ~4 tokens of chat framing per message (OpenAI's cookbook figure) on top of the text
  const input = (await countTokens(model, text)) + 4 * messages.length;
  const window = opts.contextWindow ?? CONTEXT_WINDOWS[model] ?? 128_000;
  return budgetFor(input, desiredMaxTokens, window, opts.minOutput);
}
