// OpenAI chat JSONL: one request a line, {"messages": [...], "max_tokens"?: N} (the shape of
// OpenAI's fine-tuning and eval files, and of most teams' captured traffic).
import { json, maxTokensOf, messagesOf, type Format } from './types.ts';

export const chatJsonl: Format = {
  name: 'chat-jsonl',
  layout: 'lines',
  parse(text) {
    const o = json(text);
    const mt = maxTokensOf(o, '');
    return { messages: messagesOf(o.messages, 'messages'), ...(mt !== undefined ? { max_tokens: mt } : {}) };
  },
};
