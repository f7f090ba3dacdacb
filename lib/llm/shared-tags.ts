// Tag objects shared by every request with the same tag values. Each sample's series is found
// through caches keyed by the tags object (engine/vu-runtime.ts merges the iteration's tags
// once per object; engine/metrics/collector.ts finds the series per object and name), so a
// fresh object per request paid the full price for each of its ~20 samples: merging, building
// the series key string, a Map lookup on it — 12.5 µs of 143 µs of a request's JavaScript in a
// profile of short responses (docs/PERFORMANCE.md, "The whole process"). Objects handed out here
// are never mutated (metrics take them via addShared; chat() returns the caller a copy).
import type { Tags } from '../runtime.ts';

const bases = new Map<string, Tags>();
const withStatuses = new WeakMap<Tags, Map<number, Tags>>();
// provider × model × stream: a handful per run; the bound only guards a script that makes up
// model names per request
const MAX_BASES = 1024;

/** { provider, model, stream, ...extra }: one shared object per value set when there are no
 *  extra tags (a caller's own tags are a fresh object per call, and their values are unbounded) */
export function requestTags(provider: string, model: string, stream: boolean, extra?: Tags): Tags {
  if (extra) {
    for (const _ in extra) return { provider, model, stream: String(stream), ...extra };
  }
  const key = `${provider}\0${model}\0${stream ? 1 : 0}`;
  let t = bases.get(key);
  if (t === undefined) {
    if (bases.size >= MAX_BASES) bases.clear();
    t = { provider, model, stream: String(stream) };
    bases.set(key, t);
  }
  return t;
}

/** { ...base, status }, shared per base object and status */
export function withStatus(base: Tags, status: number): Tags {
  let m = withStatuses.get(base);
  if (m === undefined) withStatuses.set(base, (m = new Map()));
  let t = m.get(status);
  if (t === undefined) m.set(status, (t = { ...base, status: String(status) }));
  return t;
}
