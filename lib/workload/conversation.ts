// Multi-turn conversations (docs/WORKLOADS.md): a session of T turns, each sending the whole
// history — the system prompt, every earlier user message and the assistant's *actual* answer —
// plus a new user message, with think time between turns. Turns come from synthetic lengths or
// from a ShareGPT dataset's conversations. Every call is tagged `turn` (TTFT by turn is one
// threshold away: llm_ttft{turn:1}); sessions count llm_sessions, llm_session_turns and
// llm_session_duration. This is what a provider's prompt cache sees in a chat product: the
// shared prefix grows every turn.
import { chat, type ChatOptions, type ChatResult } from '../llm/chat.ts';
import { Counter, Trend } from '../metrics.ts';
import { MN } from '../metric-names.ts';
import { sleep } from '../index.ts';
import { runtime } from '../runtime.ts';
import { prng } from '../random.ts';
import { countTokensSync } from '../llm/tokens.ts';
import { lengthSampler, LengthError, type LengthSpec } from './lengths.ts';
import { prefixPool, textOfTokens, wordPool } from './synthetic.ts';
import { dataset } from './dataset.ts';

export interface ConversationOptions {
  model: string;
  /** turns per session: a count or a distribution (≥ 1); a dataset's conversations bring their own */
  turns?: LengthSpec;
  /** a shared system prompt (a pool of `count`, default 1) of `tokens` tokens */
  system?: { tokens: number; count?: number };
  /** tokens per new user message, and per answer (max_tokens) */
  user?: LengthSpec;
  output?: LengthSpec;
  /** or: a ShareGPT file whose conversations are replayed turn by turn (answers: the model's own) */
  dataset?: string;
  /** seconds between a turn's answer and the next message: [min, max] uniform */
  think?: [number, number];
  /** min_tokens = max_tokens and ignore_eos (vLLM, the simulator; lib/workload/synthetic.ts) */
  exactOutput?: boolean;
  /** Anthropic's explicit caching: cache_control breakpoints on the system prompt and on each
   *  turn's last user message (dropped for OpenAI-style APIs, which cache by themselves) */
  cacheControl?: boolean;
  seed?: number;
}

export interface Turn { turn: number; messages: Array<Record<string, unknown>>; max_tokens: number; controls: Record<string, unknown> }

// declared on a first session, not on import: a script that imports llmload/workload for
// something else gets no empty session metrics in its summary
let M: { sessions: Counter; turns: Trend; duration: Trend } | null = null;
const metrics = () => (M ??= { sessions: new Counter(MN.sessions), turns: new Trend(MN.sessionTurns), duration: new Trend(MN.sessionDuration, true) });

export function conversation(o: ConversationOptions) {
  if (!o.dataset && o.turns === undefined) throw new LengthError('conversation: give turns (a count ≥ 1 or a distribution) or a dataset of conversations');
  if (typeof o.turns === 'number' && !(Number.isInteger(o.turns) && o.turns >= 1)) throw new LengthError(`conversation turns must be an integer ≥ 1, not ${o.turns}`);
  const rand = prng(o.seed ?? 1);
  const turnsOf = o.turns !== undefined ? lengthSampler(o.turns, rand, 'conversation turns') : null;
  const userLen = lengthSampler(o.user ?? 50, rand, 'user message length');
  const outLen = lengthSampler(o.output ?? 200, rand, 'output length');
  const pool = wordPool(o.model);
  const systems = o.system ? prefixPool(o.model, o.system.tokens, o.system.count ?? 1) : null;
  const ds = o.dataset ? dataset(o.dataset, { format: 'sharegpt' }) : null;
  const mark = o.cacheControl ? { cache_control: { type: 'ephemeral' } } : {};

  let sessionNo = 0;
  /** the turns of one session, built as it goes (each from the previous answers) */
  function session() {
    // system prompt i of the pool: this generator's sessions walk the pool from a seed-dependent
    // start, so VUs with different seeds use different prompts while the pool lasts
    const sysIndex = (o.seed ?? 1) * 7919 + sessionNo++;
    const rec = ds ? ds.next() : null;
    const scripted = rec?.turns ?? null;
    const total = scripted ? scripted.length : turnsOf!();
    const history: Array<Record<string, unknown>> = [];
    const sys = rec?.system ?? (systems ? systems.at(sysIndex) : null);
    if (sys) history.push({ role: 'system', content: sys, ...mark });
    let i = 0;
    return {
      total,
      /** the next turn's request, given the previous turn's answer (null when the session is over) */
      next(answer?: string): Turn | null {
        if (i > 0) history.push({ role: 'assistant', content: answer ?? '' });
        if (i >= total) return null;
        const t = scripted?.[i];
        const user = t ? t.user : textOfTokens(userLen(), pool, rand);
        const max = t?.reference !== undefined ? Math.max(1, countTokensSync(o.model, t.reference)) : outLen();
        // the breakpoint moves to the newest user message (earlier ones' marks are dropped)
        for (const m of history) if (m.role !== 'system') delete m.cache_control;
        history.push({ role: 'user', content: user, ...mark });
        i++;
        return { turn: i, messages: history.map((m) => ({ ...m })), max_tokens: max, controls: o.exactOutput ? { min_tokens: max, ignore_eos: true } : {} };
      },
    };
  }

  return {
    session,
    /** One whole session with chat(): streams each turn, tags it `turn`, thinks between turns,
     *  ends early when a turn fails. Returns the turns' results. */
    async run(opts: ChatOptions & { stream?: boolean } = {}): Promise<ChatResult[]> {
      const s = session();
      const t0 = runtime().now();
      const results: ChatResult[] = [];
      let answer: string | undefined;
      for (let t = s.next(); t; t = s.next(answer)) {
        if (t.turn > 1 && o.think) await sleep(o.think[0] + rand() * (o.think[1] - o.think[0]));
        const r = await chat({ model: o.model, messages: t.messages, max_tokens: t.max_tokens, ...t.controls, stream: opts.stream !== false }, { ...opts, tags: { ...(opts.tags ?? {}), turn: String(t.turn) } });
        results.push(r);
        if (!r.ok) break;
        answer = r.content;
      }
      const m = metrics();
      m.sessions.add(1);
      m.turns.add(results.length);
      m.duration.add(runtime().now() - t0);
      return results;
    },
  };
}
