// Which of a k6 script's functions block, and whether turning them into async functions keeps
// k6's semantics (docs/K6_COMPAT.md, "Many VUs per thread"). A k6 VU blocks in http.*, sse.open
// and sleep; many VUs can share one thread only if every function that (directly or through
// the functions it calls) reaches one of those becomes `async`, and every call to it is
// awaited. That is sound only where every such call can be found: a blocking function may be
// called by name, run by group(), or exported — nothing else. A blocking function handed to
// code we cannot see (a callback to Array.map, a method, a getter, a function stored in an
// object) could be called where no `await` can be placed, so the script then keeps a thread
// per VU (the answer names the line).
import type { Variable, Reference } from 'eslint-scope';
import { analyze as scopes } from 'eslint-scope';

/** an ESTree node as acorn gives it */
export interface N { type: string; start: number; end: number; [k: string]: unknown }

/** what a module name's imports are: calls that block, group() (blocks when its function
 *  does), or nothing to do */
type Role = 'blocking' | 'group' | 'plain';
interface ModuleRoles { named: Record<string, Role>; members: Record<string, Role> }
const HTTP: Record<string, Role> = Object.fromEntries(['request', 'get', 'post', 'put', 'patch', 'del', 'options', 'head', 'batch'].map((k) => [k, 'blocking' as Role]));
const CORE: Record<string, Role> = { sleep: 'blocking', group: 'group' };
const SSE: Record<string, Role> = { open: 'blocking' };
const ROLES: Record<string, ModuleRoles> = {
  'k6/http': { named: HTTP, members: HTTP },
  k6: { named: CORE, members: CORE },
  llmload: { named: CORE, members: CORE },
  'k6/x/sse': { named: SSE, members: SSE },
  'k6/experimental/sse': { named: SSE, members: SSE },
};

export interface Plan {
  /** functions to make async (not already async) */
  asyncFns: N[];
  /** calls to wrap in `(await …)` */
  awaits: N[];
}
export type Analysis = { ok: true; plan: Plan } | { ok: false; why: string; at: number };

const FN = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
const isNode = (v: unknown): v is N => !!v && typeof v === 'object' && typeof (v as N).type === 'string';

/** children of a node, in source order */
function children(n: N): N[] {
  const out: N[] = [];
  for (const k of Object.keys(n)) {
    if (k === 'type' || k === 'start' || k === 'end' || k === 'loc' || k === 'range') continue;
    const v = n[k];
    if (Array.isArray(v)) { for (const x of v) if (isNode(x)) out.push(x); } else if (isNode(v)) out.push(v);
  }
  return out;
}

interface Site {
  call: N;
  /** the innermost function the call is in; null: the module's top level (k6's init context) */
  fn: N | null;
  /** inside that function's parameter list (a default value): no `await` can go there */
  inParams: boolean;
  kind: 'prim' | 'fn' | 'group';
  /** the functions it runs: the callee, or group()'s function argument */
  targets: N[];
}

/** what scope analysis tells about the script: each node's parent, what a name resolves to,
 *  which bindings are k6's blocking imports and which name a function */
interface Facts {
  parent: Map<N, N>;
  resolve(id: N): Variable | null;
  role: Map<Variable, { role: Role } | { ns: ModuleRoles }>;
  fnOfVar: Map<Variable, N>;
  varsOfFn: Map<N, Variable[]>;
}

/**
 * @param moduleOf the module name (`k6/http`, …) an import's source stands for, as the bundler
 *   resolved it; anything else is the script's own code.
 */
export function analyze(ast: N, moduleOf: (source: string) => string | undefined): Analysis {
  const facts = scopeFacts(ast, moduleOf);
  if ('why' in facts) return facts;
  const { sites, calledBy } = callSites(ast, facts);
  // blocking functions: a fixed point over "calls something that blocks"
  const blocking = new Set<N>();
  const blocks = (s: Site) => s.kind === 'prim' || s.targets.some((t) => blocking.has(t));
  for (let changed = true; changed;) {
    changed = false;
    for (const s of sites) if (s.fn && !blocking.has(s.fn) && blocks(s)) { blocking.add(s.fn); changed = true; }
  }
  const awaits = sites.filter(blocks);
  const top = awaits.find((s) => !s.fn);
  if (top) return fail('it makes a blocking call in the init context (top level)', top.call.start);
  const inParams = awaits.find((s) => s.inParams);
  if (inParams) return fail('it makes a blocking call in a default parameter value', inParams.call.start);
  const bad = importUses(facts) ?? blockingUses(blocking, calledBy, facts);
  if (bad) return bad;
  return { ok: true, plan: { asyncFns: [...blocking].filter((f) => !f.async), awaits: awaits.map((s) => s.call) } };
}

const fail = (why: string, at: number): Analysis & { ok: false } => ({ ok: false, why, at });

function scopeFacts(ast: N, moduleOf: (source: string) => string | undefined): Facts | (Analysis & { ok: false }) {
  const parent = new Map<N, N>();
  const stack: N[] = [ast];
  while (stack.length) { const n = stack.pop()!; for (const c of children(n)) { parent.set(c, n); stack.push(c); } }
  let sm;
  try { sm = scopes(ast, { ecmaVersion: 2022, sourceType: 'module' }); } catch (e) { return fail(`its code could not be analysed (${(e as Error).message})`, 0); }
  const refOf = new Map<object, Reference>();
  for (const s of sm.scopes) {
    if (s.type === 'with' || (s.dynamic && s.type !== 'global' && s.type !== 'module')) return fail('it uses `with` or direct eval', 0);
    for (const r of s.references) refOf.set(r.identifier, r);
  }
  const role: Facts['role'] = new Map();
  const fnOfVar = new Map<Variable, N>();
  const varsOfFn = new Map<N, Variable[]>();
  for (const s of sm.scopes) for (const v of s.variables) {
    const d = v.defs[0];
    if (!d) continue;
    if (d.type === 'ImportBinding') {
      // imports of the blocking modules
      const m = moduleOf(String((d.parent as unknown as { source: { value: string } }).source.value));
      const roles = m ? ROLES[m] : undefined;
      if (!roles) continue;
      if (d.node.type === 'ImportSpecifier') {
        const imported = d.node.imported as N & { name?: string; value?: string };
        const r = roles.named[imported.name ?? String(imported.value)];
        if (r) role.set(v, { role: r });
      } else role.set(v, { ns: roles }); // default or namespace import: its members
      continue;
    }
    // a function bound to a name that nothing else is written to: calls by that name are its calls
    let fn: N | undefined;
    const writes = v.references.filter((r) => r.isWrite() && !r.init).length;
    if (v.defs.length !== 1 || writes > 0) continue;
    if (d.type === 'FunctionName') fn = d.node;
    else if (d.type === 'Variable') {
      const init = d.node.init as N | null;
      if (init && FN.has(init.type) && (d.node.id as N).type === 'Identifier') fn = init;
    }
    if (fn) { fnOfVar.set(v, fn); varsOfFn.set(fn, [...(varsOfFn.get(fn) ?? []), v]); }
  }
  return { parent, resolve: (id) => refOf.get(id)?.resolved ?? null, role, fnOfVar, varsOfFn };
}

/** every call whose callee can be known, with the function it sits in */
function callSites(ast: N, f: Facts): { sites: Site[]; calledBy: Map<N, Site[]> } {
  const sites: Site[] = [];
  const calledBy = new Map<N, Site[]>(); // callee function → the sites that run it
  const addSite = (s: Site) => {
    sites.push(s);
    for (const t of s.targets) { const l = calledBy.get(t); if (l) l.push(s); else calledBy.set(t, [s]); }
  };
  const classify = (call: N, fn: N | null, inParams: boolean): void => {
    const callee = call.callee as N;
    let r: Role | undefined;
    if (callee.type === 'Identifier') {
      const v = f.resolve(callee);
      if (!v) return;
      const x = f.role.get(v);
      if (x && 'role' in x) r = x.role;
      else if (f.fnOfVar.has(v)) { addSite({ call, fn, inParams, kind: 'fn', targets: [f.fnOfVar.get(v)!] }); return; }
    } else if (callee.type === 'MemberExpression' && !callee.computed && (callee.object as N).type === 'Identifier' && (callee.property as N).type === 'Identifier') {
      const v = f.resolve(callee.object as N);
      const x = v ? f.role.get(v) : undefined;
      if (x && 'ns' in x) r = x.ns.members[(callee.property as N & { name: string }).name];
    }
    if (r === 'blocking') addSite({ call, fn, inParams, kind: 'prim', targets: [] });
    else if (r === 'group') {
      const targets: N[] = [];
      for (const a of call.arguments as N[]) {
        if (FN.has(a.type)) targets.push(a);
        else if (a.type === 'Identifier') { const v = f.resolve(a); const g = v ? f.fnOfVar.get(v) : undefined; if (g) targets.push(g); }
      }
      addSite({ call, fn, inParams, kind: 'group', targets });
    }
  };
  const visit = (n: N, fn: N | null, inParams: boolean): void => {
    if (FN.has(n.type)) {
      for (const p of n.params as N[]) visit(p, n, true);
      visit(n.body as N, n, false);
      return;
    }
    if (n.type === 'CallExpression') classify(n, fn, inParams);
    for (const c of children(n)) visit(c, fn, inParams);
  };
  visit(ast, null, false);
  return { sites, calledBy };
}

/** every use of a blocking import must be a call we can see */
function importUses({ role, parent }: Facts): (Analysis & { ok: false }) | null {
  for (const [v, x] of role) {
    if ('ns' in x && !Object.values(x.ns.members).some((r) => r !== 'plain')) continue;
    for (const ref of v.references) {
      const id = ref.identifier as unknown as N;
      const p = parent.get(id);
      if ('role' in x) {
        if (p?.type === 'CallExpression' && p.callee === id) continue;
        return fail(`it uses ${v.name}() as a value, not a call`, id.start);
      }
      const gp = p ? parent.get(p) : undefined;
      const member = p?.type === 'MemberExpression' && p.object === id && !p.computed;
      if (member && ((gp?.type === 'CallExpression' && gp.callee === p) || (gp?.type === 'TaggedTemplateExpression' && gp.tag === p))) continue;
      if (member && x.ns.members[(p!.property as N & { name: string }).name] === undefined) continue; // e.g. http.TLS_1_2
      return fail(`it uses "${v.name}" as a value (only calls such as ${v.name}.post(…) can be made async)`, id.start);
    }
  }
  return null;
}

/** a blocking function may be called by name, run by group() or exported: nothing else */
function blockingUses(blocking: Set<N>, calledBy: Map<N, Site[]>, { parent, varsOfFn }: Facts): (Analysis & { ok: false }) | null {
  for (const f of blocking) {
    const what = fnName(f, varsOfFn);
    if (f.generator) return fail(`the generator ${what} blocks`, f.start);
    const runs = calledBy.get(f) ?? [];
    if (f.async && runs.some((s) => s.kind === 'fn')) return fail(`the async function ${what} blocks and is called (its caller would no longer wait for the blocking part)`, f.start);
    const p = parent.get(f)!;
    const placed = f.type === 'FunctionDeclaration' || p.type === 'ExportDefaultDeclaration'
      || (p.type === 'VariableDeclarator' && p.init === f && varsOfFn.has(f))
      || (p.type === 'CallExpression' && runs.some((s) => s.kind === 'group' && s.call === p));
    if (!placed) {
      const where = p.type === 'CallExpression' ? `a function passed to ${calleeText(p)}()` : p.type === 'Property' || p.type === 'MethodDefinition' || p.type === 'PropertyDefinition' ? 'a method or object property' : 'a function used as a value';
      return fail(`${where} blocks (a call of it could not be awaited)`, f.start);
    }
    for (const v of varsOfFn.get(f) ?? []) for (const ref of v.references) {
      if (ref.init) continue;
      const id = ref.identifier as unknown as N;
      const p2 = parent.get(id);
      if (p2?.type === 'CallExpression' && (p2.callee === id || runs.some((s) => s.kind === 'group' && s.call === p2))) continue;
      if (p2?.type === 'ExportSpecifier') continue;
      return fail(`the function ${v.name} blocks and is used as a value, not called`, id.start);
    }
  }
  return null;
}

function fnName(f: N, varsOfFn: Map<N, Variable[]>): string {
  const id = f.id as (N & { name: string }) | null | undefined;
  return id?.name ?? varsOfFn.get(f)?.[0]?.name ?? '(anonymous)';
}

function calleeText(call: N): string {
  const c = call.callee as N;
  if (c.type === 'Identifier') return (c as N & { name: string }).name;
  if (c.type === 'MemberExpression' && (c.property as N).type === 'Identifier') return `.${(c.property as N & { name: string }).name}`;
  return 'a function';
}
