// The simulator's token counting thread (sim/tokens.ts): the tokenizers' ~40 MB of tables
// live in this thread's heap, not the simulator's, so its full GCs do not mark them.
import { parentPort } from 'node:worker_threads';
import { countTokens } from '../lib/llm/tokens.ts';

parentPort!.on('message', (m: { id: number; model: string; text: string }) => {
  countTokens(m.model, m.text).then(
    (n) => parentPort!.postMessage({ id: m.id, n }),
    () => parentPort!.postMessage({ id: m.id, n: null }),
  );
});
