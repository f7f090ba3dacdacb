// A forgotten `await` is the commonest porting bug from k6: `sleep(1)` without await returns at
// once and silently removes think time; `chat()` without await lets the iteration end while the
// request runs. Each call registers itself in its iteration's pending set (one Error, so the
// call site can be named later; V8 formats the stack only if it is read) and leaves it when it
// settles; the engine warns once per call site when an iteration ends with any still there.
import { runtime } from './runtime.ts';

export function trackPending<T>(p: Promise<T>, what: string): Promise<T> {
  const st = runtime().state();
  const set = st?.pending;
  if (!set) return p;
  const e = new Error(what);
  set.add(e);
  const done = () => { set.delete(e); };
  p.then(done, done);
  return p;
}

/** "file:line:col" of the script's frame that made the call (first frame outside llmload's lib) */
export function callSite(e: Error): string {
  const lines = (e.stack ?? '').split('\n').slice(1);
  for (const l of lines) {
    if (/[\\/](dist[\\/]lib|lib)[\\/]/.test(l) && !/bundle-[0-9a-f]+\.mjs/.test(l)) continue;
    if (l.includes('node:internal')) continue;
    const m = /\(?((?:file:\/\/)?[^()\s]+:\d+:\d+)\)?\s*$/.exec(l.trim());
    if (m) return m[1]!.replace(/^file:\/\//, '');
  }
  return 'unknown location';
}
