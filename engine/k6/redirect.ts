// --redirect FROM=TO: runs a script that hard-codes a provider's URL against another server
// without editing it (k6 scripts often carry `const API_BASE = 'https://api…/v1'`). A rule
// rewrites every request URL that starts with FROM (at a path boundary) to start with TO; TO
// may be `sim`, the built-in simulator (its origin, keeping FROM's path). Pure: unit-tested.
export interface RedirectRule { from: string; to: string }

export function parseRedirects(list: string[]): RedirectRule[] {
  return list.map((item) => {
    const i = item.indexOf('=');
    if (i <= 0 || i === item.length - 1) throw new Error(`invalid --redirect "${item}": use FROM=TO, e.g. --redirect https://api.holysheep.ai/v1=sim`);
    const from = item.slice(0, i).replace(/\/+$/, '');
    const to = item.slice(i + 1).replace(/\/+$/, '');
    let f: URL;
    try { f = new URL(from); } catch { throw new Error(`invalid --redirect "${item}": FROM must be an absolute http(s) URL, e.g. https://api.example.com/v1`); }
    if (f.protocol !== 'http:' && f.protocol !== 'https:') throw new Error(`invalid --redirect "${item}": FROM must be an http(s) URL`);
    if (to !== 'sim') {
      try { const t = new URL(to); if (t.protocol !== 'http:' && t.protocol !== 'https:') throw new Error(); } catch { throw new Error(`invalid --redirect "${item}": TO must be an http(s) URL or "sim" (the built-in simulator)`); }
    }
    return { from, to };
  });
}

/** The URL a request goes to; `simOrigin` is where `sim` points (e.g. http://127.0.0.1:8080). */
export function applyRedirects(url: string, rules: RedirectRule[], simOrigin: string | null): string {
  for (const r of rules) {
    if (url === r.from || url.startsWith(r.from + '/') || url.startsWith(r.from + '?')) {
      const rest = url.slice(r.from.length);
      if (r.to !== 'sim') return r.to + rest;
      if (!simOrigin) throw new Error(`--redirect ${r.from}=sim: the built-in simulator is not running`);
      return simOrigin + new URL(r.from).pathname.replace(/\/+$/, '') + rest;
    }
  }
  return url;
}

export function usesSim(rules: RedirectRule[]): boolean { return rules.some((r) => r.to === 'sim'); }
