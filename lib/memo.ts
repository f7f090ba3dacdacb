// A bounded memo for values a load repeats (tag sets, header names, a script's request targets):
// computed once per key instead of per request. Cleared when full, so keys made up per request
// (an id in a URL) cost one computation each, as without it, and no more memory.
export class Memo<V> {
  private m = new Map<string, V>();
  constructor(private max: number) {}
  get(k: string, make: (k: string) => V): V {
    let v = this.m.get(k);
    if (v === undefined) {
      if (this.m.size >= this.max) this.m.clear();
      v = make(k);
      this.m.set(k, v);
    }
    return v;
  }
}
