// A bundled k6 script, made ready for many VUs per thread when that keeps k6's semantics
// (analyze.ts says when, rewrite.ts does it); otherwise why not, with the line, so the run can
// say why it keeps a thread per VU.
import { parse } from 'acorn';
import { analyze, type N } from './analyze.ts';
import { rewrite } from './rewrite.ts';

export type Transformed =
  | { ok: true; code: string; exports: string[]; asyncFns: number; awaits: number }
  | { ok: false; why: string; line: number; column: number };

export function toSharedVus(src: string, moduleOf: (source: string) => string | undefined): Transformed {
  let ast: N;
  try {
    ast = parse(src, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true, ranges: true }) as unknown as N;
  } catch (e) {
    return { ok: false, why: `its code could not be parsed (${(e as Error).message})`, line: 1, column: 1 };
  }
  const a = analyze(ast, moduleOf);
  const where = (at: number) => {
    const before = src.slice(0, at);
    const line = before.split('\n').length;
    return { line, column: at - before.lastIndexOf('\n') };
  };
  if (!a.ok) return { ok: false, why: a.why, ...where(a.at) };
  const r = rewrite(src, ast, a.plan);
  if (!r.ok) return { ok: false, why: r.why, ...where(r.at) };
  return { ok: true, code: r.code, exports: r.exports, asyncFns: a.plan.asyncFns.length, awaits: a.plan.awaits.length };
}
