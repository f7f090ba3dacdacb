// A bundled k6 script rewritten so that many VUs share one thread (docs/K6_COMPAT.md, "Many
// VUs per thread"): the functions analyze.ts found blocking become async, their calls and the
// blocking calls are awaited, and the module's body moves into a factory that each VU calls
// once. A k6 VU has a JavaScript runtime of its own, so its module-level variables are its own
// (a counter at the top of the script counts that VU's iterations); the factory keeps that: each
// call runs the init code again and returns that VU's exports. Imports stay at module level, so
// the compiled code and the llmload runtime are shared. Line numbers are kept (stack traces and
// the inline source map still point at the script's lines).
import type { N, Plan } from './analyze.ts';

export const FACTORY = '__llmload_vu';

interface Edit { start: number; end: number; text: string; /** among inserts at one place: lower first */ rank: number }

export type Rewritten = { ok: true; code: string; exports: string[] } | { ok: false; why: string; at: number };

/** keeps the line breaks of what an edit removes, so every later line keeps its number */
const breaks = (s: string) => s.replace(/[^\n]/g, '');

export function rewrite(src: string, ast: N, plan: Plan): Rewritten {
  const edits: Edit[] = [];
  const imports: string[] = [];
  const exported: Array<[string, string]> = [];
  for (const f of plan.asyncFns) edits.push({ start: f.start, end: f.start, text: 'async ', rank: 0 });
  for (const c of plan.awaits) {
    // an outer call that starts where an inner one does (f(a)(b)) opens first and closes last
    edits.push({ start: c.start, end: c.start, text: '(await ', rank: -c.end });
    edits.push({ start: c.end, end: c.end, text: ')', rank: -c.start });
  }
  for (const st of ast.body as N[]) {
    const text = src.slice(st.start, st.end);
    switch (st.type) {
      case 'ImportDeclaration':
        imports.push(text.replace(/\s*\n\s*/g, ' '));
        edits.push({ start: st.start, end: st.end, text: breaks(text), rank: 0 });
        break;
      case 'ExportAllDeclaration':
        return { ok: false, why: 'it re-exports a module (export * from …)', at: st.start };
      case 'ExportNamedDeclaration': {
        if (st.source) return { ok: false, why: 'it re-exports a module (export … from …)', at: st.start };
        const decl = st.declaration as N | null;
        if (decl) {
          edits.push({ start: st.start, end: decl.start, text: '', rank: 0 });
          if (decl.type === 'VariableDeclaration') {
            for (const d of decl.declarations as N[]) {
              const id = d.id as N & { name?: string };
              if (id.type !== 'Identifier') return { ok: false, why: 'it exports a destructured binding', at: d.start };
              exported.push([id.name!, id.name!]);
            }
          } else { const name = (decl.id as N & { name: string }).name; exported.push([name, name]); }
        } else {
          for (const sp of st.specifiers as N[]) {
            const ex = sp.exported as N & { name?: string; value?: string };
            exported.push([ex.name ?? String(ex.value), (sp.local as N & { name: string }).name]);
          }
          edits.push({ start: st.start, end: st.end, text: breaks(text), rank: 0 });
        }
        break;
      }
      case 'ExportDefaultDeclaration': {
        const decl = st.declaration as N & { id?: { name: string } | null };
        if ((decl.type === 'FunctionDeclaration' || decl.type === 'ClassDeclaration') && decl.id) {
          edits.push({ start: st.start, end: decl.start, text: '', rank: 0 });
          exported.push(['default', decl.id.name]);
        } else {
          edits.push({ start: st.start, end: decl.start, text: `var ${FACTORY}_default = `, rank: 0 });
          // an anonymous function declaration is now an expression: end its statement, so a
          // next line that opens with `(` is not read as a call of it
          if (decl.type === 'FunctionDeclaration' || decl.type === 'ClassDeclaration') edits.push({ start: decl.end, end: decl.end, text: ';', rank: 1 });
          exported.push(['default', `${FACTORY}_default`]);
        }
        break;
      }
    }
  }
  const ret = `return { ${exported.map(([e, l]) => `${JSON.stringify(e)}: ${l}`).join(', ')} };`;
  const map = src.lastIndexOf('\n//# sourceMappingURL=');
  const tail = map >= 0 ? map : src.length;
  // the factory opens on the first line (a hashbang line gives way to it: nothing may precede one)
  const bang = src.startsWith('#!') ? src.indexOf('\n') >>> 0 : 0;
  edits.push({ start: 0, end: Math.min(bang, src.length), text: `${imports.join(' ')} export async function ${FACTORY}() {`, rank: -Infinity });
  edits.push({ start: tail, end: tail, text: `\n${ret}\n}`, rank: Infinity });

  edits.sort((a, b) => a.start - b.start || (a.end - a.start) - (b.end - b.start) || a.rank - b.rank);
  let out = '';
  let at = 0;
  for (const e of edits) {
    if (e.start < at) return { ok: false, why: 'its code could not be rewritten (overlapping edits)', at: e.start };
    out += src.slice(at, e.start) + e.text;
    at = e.end;
  }
  out += src.slice(at);
  return { ok: true, code: out, exports: exported.map(([e]) => e) };
}
