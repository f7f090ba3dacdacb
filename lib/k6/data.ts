// `import { SharedArray } from 'k6/data'`. k6 builds the array once and shares it read-only
// between VUs; here each thread that imports the script (main, every VU thread) builds its own
// frozen copy: same API and semantics, memory per thread (docs/K6_COMPAT.md).
export class SharedArray<T = unknown> {
  constructor(name: string, fn: () => T[]) {
    if (typeof name !== 'string' || !name) throw new Error('SharedArray needs a name as its first argument');
    if (typeof fn !== 'function') throw new Error('SharedArray needs a function that returns an array');
    const arr = fn();
    if (!Array.isArray(arr)) throw new Error(`SharedArray "${name}": the function must return an array`);
    const frozen = arr.map((x) => deepFreeze(x));
    return Object.freeze(frozen) as unknown as SharedArray<T>;
  }
}
function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') { for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]); Object.freeze(v); }
  return v;
}
export default { SharedArray };
