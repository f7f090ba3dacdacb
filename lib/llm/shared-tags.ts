// Tag objects shared by every request with the same tag values. Each sample's series is found
// through caches keyed by the tags object (engine/vu-runtime.ts merges the iteration's tags
// once per object; engine/metrics/collector.ts finds the series per object and name), so a
// fresh object per request paid the full price for each of its ~20 samples: merging, building
// the series key string, a Map lookup on it — 12.5 µs of 143 µs of a request's JavaScript in a
// profile of short responses (docs/PERFORMANCE.md, "The whole process"). Objects handed out here
// are never mutated (metrics take them via addShared; chat() returns the caller a copy).
import type { Tags } from '../runtime.ts';

import { Memo } from '../memo.ts';

const withStatuses = new WeakMap<Tags, Map<number, Tags>>();
// tag sets in use: a handful per run (provider × model × stream × the script's own tags, a k6
// request's URL, status and name); the bound only guards a script that makes up tag values per
// request (an id in a URL without a name tag), which then pays a fresh object as before
const shared = new Memo<Tags>(4096);

/** A tag set's content as a string: its names and values in insertion order (the separators
 *  are the collector's, engine/metrics/collector.ts). */
export function tagsKey(t: Tags): string {
  let k = '';
  for (const n in t) k += n + '\x01' + t[n] + '\x02';
  return k;
}

/** One shared object per content: `key` must say everything `make` puts into the object. A
 *  caller's tags are a fresh object per call (k6/http builds one per request, as does a
 *  script's `tags:` literal); one key string per call replaces a merge, a series key and a
 *  series lookup per sample (~25 per streamed k6 request). */
export function sharedTags(key: string, make: () => Tags): Tags {
  return shared.get(key, make);
}

/** { provider, model, stream, ...extra }, one shared object per value set */
export function requestTags(provider: string, model: string, stream: boolean, extra?: Tags): Tags {
  const key = `r\0${provider}\0${model}\0${stream ? 1 : 0}\0${extra ? tagsKey(extra) : ''}`;
  return sharedTags(key, () => ({ provider, model, stream: String(stream), ...extra }));
}

/** { ...base, status }, shared per base object and status */
export function withStatus(base: Tags, status: number): Tags {
  let m = withStatuses.get(base);
  if (m === undefined) withStatuses.set(base, (m = new Map()));
  let t = m.get(status);
  if (t === undefined) m.set(status, (t = { ...base, status: String(status) }));
  return t;
}
