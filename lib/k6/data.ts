// `import { SharedArray } from 'k6/data'`. k6 builds the array once per name and shares it
// read-only between VUs; here each thread builds one frozen copy per name, which every VU of
// the thread shares (VUs that share a thread run the script's init code each: engine/k6/async/):
// same API and semantics, memory per thread (docs/K6_COMPAT.md).
const built = new Map<string, readonly unknown[]>();
export class SharedArray<T = unknown> {
  constructor(name: string, fn: () => T[]) {
    if (typeof name !== 'string' || !name) throw new Error('SharedArray needs a name as its first argument');
    if (typeof fn !== 'function') throw new Error('SharedArray needs a function that returns an array');
    const had = built.get(name);
    if (had) return had as unknown as SharedArray<T>; // k6: the name finds the data; fn runs once
    const arr = fn();
    if (!Array.isArray(arr)) throw new Error(`SharedArray "${name}": the function must return an array`);
    const frozen = Object.freeze(arr.map((x) => deepFreeze(x)));
    built.set(name, frozen);
    return frozen as unknown as SharedArray<T>;
  }
}
function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') { for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]); Object.freeze(v); }
  return v;
}
export default { SharedArray };
