// The part of eslint-scope (BSD-2-Clause) that engine/k6/async/analyze.ts uses; the package
// ships no types.
declare module 'eslint-scope' {
  export interface Reference {
    identifier: { type: string; name: string; start: number; end: number };
    resolved: Variable | null;
    init?: boolean;
    isWrite(): boolean;
  }
  export interface Definition { type: string; node: { type: string; start: number; end: number; [k: string]: unknown }; parent?: { type: string; [k: string]: unknown } | null; name: { name: string } }
  export interface Variable { name: string; defs: Definition[]; references: Reference[] }
  export interface Scope { type: string; variables: Variable[]; references: Reference[]; through: Reference[]; dynamic: boolean }
  export interface ScopeManager { scopes: Scope[] }
  export function analyze(ast: object, options: { ecmaVersion: number; sourceType: 'module' | 'script'; fallback?: 'iteration' }): ScopeManager;
}
