// ShareGPT JSON: one array of {"conversations": [{"from": "human"|"gpt"|"system", "value"}]}
// (the file vLLM's and SGLang's serving benchmarks use). Single-turn use takes the first human
// turn as the prompt and the answer after it as the reference, whose length is the output
// length, as vLLM's sharegpt dataset does.
import { RecordError, type Format } from './types.ts';

export const sharegpt: Format = {
  name: 'sharegpt',
  layout: 'json-array',
  parse(text) {
    let o: unknown;
    try { o = JSON.parse(text); } catch (e) { throw new RecordError(`not valid JSON (${(e as Error).message})`); }
    const conv = (o as { conversations?: unknown })?.conversations;
    if (!Array.isArray(conv)) throw new RecordError('has no "conversations" array');
    const i = conv.findIndex((t) => t && (t as { from?: string }).from === 'human');
    if (i < 0) throw new RecordError('has no human turn');
    const prompt = (conv[i] as { value?: unknown }).value;
    if (typeof prompt !== 'string') throw new RecordError(`conversations[${i}].value is not a string`);
    const ans = conv[i + 1] as { from?: string; value?: unknown } | undefined;
    // every human turn with the answer recorded after it: a multi-turn conversation
    const turns: Array<{ user: string; reference?: string }> = [];
    for (let k = i; k < conv.length; k++) {
      const t = conv[k] as { from?: string; value?: unknown };
      if (t?.from !== 'human' || typeof t.value !== 'string') continue;
      const a = conv[k + 1] as { from?: string; value?: unknown } | undefined;
      turns.push({ user: t.value, ...(a?.from === 'gpt' && typeof a.value === 'string' ? { reference: a.value } : {}) });
    }
    const sys = conv.find((t) => (t as { from?: string })?.from === 'system') as { value?: unknown } | undefined;
    return { messages: [{ role: 'user', content: prompt }], turns, ...(typeof sys?.value === 'string' ? { system: sys.value } : {}), ...(ans && ans.from === 'gpt' && typeof ans.value === 'string' ? { reference: ans.value } : {}) };
  },
};
