// Dialect registry: one file per wire format; adding one (e.g. openai-responses) adds a file
// and a line here, and touches no other dialect.
import type { Dialect } from '../types.ts';
import { openaiChat } from './openai-chat.ts';
import { anthropicMessages } from './anthropic-messages.ts';
import { openaiResponses } from './openai-responses.ts';
import { openaiCompletions } from './openai-completions.ts';
import { openaiEmbeddings } from './openai-embeddings.ts';

export const DIALECTS: Record<string, Dialect> = { 'openai-chat': openaiChat, 'anthropic-messages': anthropicMessages, 'openai-responses': openaiResponses, 'openai-completions': openaiCompletions, 'openai-embeddings': openaiEmbeddings };

export function dialect(name: string): Dialect {
  const d = DIALECTS[name];
  if (!d) throw new Error(`unknown dialect "${name}": valid dialects are ${Object.keys(DIALECTS).join(', ')}`);
  return d;
}
