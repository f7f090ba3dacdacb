// Goodput (vLLM's `--goodput`): a request is good when it succeeded, ended complete, and meets
// every listed bound — `ttft:500 tpot:50 e2e:2000`, milliseconds. A bound on a value the
// request lacks (TTFT or TPOT of a JSON response) is not met. Formulas: docs/METRICS.md,
// "Goodput". Pure.
export interface GoodputBounds { ttft?: number; tpot?: number; e2e?: number }

const KEYS: Record<string, keyof GoodputBounds> = { ttft: 'ttft', tpot: 'tpot', e2e: 'e2e', e2el: 'e2e' };

/** "ttft:500 tpot:50 e2e:2000" (or a list of such tokens, or an object) → bounds */
export function parseGoodput(spec: string | string[] | Record<string, unknown> | undefined | null): GoodputBounds | null {
  if (spec === undefined || spec === null || spec === '') return null;
  const out: GoodputBounds = {};
  const set = (k: string, v: unknown, raw: string) => {
    const key = KEYS[k.toLowerCase()];
    if (!key) throw new Error(`invalid goodput bound "${raw}": use ttft, tpot or e2e (e2el), e.g. --goodput ttft:500 tpot:50 e2e:2000`);
    const n = typeof v === 'number' ? v : Number(v);
    if (!(n > 0) || !Number.isFinite(n)) throw new Error(`invalid goodput bound "${raw}": the limit is a positive number of milliseconds, e.g. ttft:500`);
    out[key] = n;
  };
  if (typeof spec === 'object' && !Array.isArray(spec)) {
    for (const [k, v] of Object.entries(spec)) set(k, v, `${k}:${String(v)}`);
  } else {
    const tokens = (Array.isArray(spec) ? spec.join(' ') : spec).split(/[\s,]+/).filter(Boolean);
    for (const t of tokens) {
      const i = t.indexOf(':');
      if (i <= 0) throw new Error(`invalid goodput bound "${t}": use NAME:MS, e.g. ttft:500`);
      set(t.slice(0, i), t.slice(i + 1), t);
    }
  }
  if (Object.keys(out).length === 0) return null;
  return out;
}

export function isGood(b: GoodputBounds, r: { ok: boolean; incomplete: boolean; ttftMs: number | null; tpotMs: number | null; e2eMs: number | null }): boolean {
  if (!r.ok || r.incomplete) return false;
  if (b.ttft !== undefined && (r.ttftMs === null || r.ttftMs > b.ttft)) return false;
  if (b.tpot !== undefined && (r.tpotMs === null || r.tpotMs > b.tpot)) return false;
  if (b.e2e !== undefined && (r.e2eMs === null || r.e2eMs > b.e2e)) return false;
  return true;
}

export function describeGoodput(b: GoodputBounds): string {
  return Object.entries(b).map(([k, v]) => `${k} ≤ ${v} ms`).join(', ');
}
