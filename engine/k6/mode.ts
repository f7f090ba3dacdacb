// How a script's VUs run. 'k6': the script is written for k6 (it imports k6/http or k6/x/sse,
// or only k6 modules): each VU runs it synchronously in a thread of its own, so http.post()
// returns the response and sleep() pauses the VU without `await` (engine/k6/blocking-vu.ts).
// 'native': llmload's async API, many VUs per thread. `--compat k6|native` overrides the guess.
export type Compat = 'k6' | 'native';

export function compatMode(imports: Set<string>, forced?: string): Compat {
  if (forced !== undefined && forced !== 'auto') {
    if (forced !== 'k6' && forced !== 'native') throw new Error(`invalid --compat "${forced}": use k6, k6-threads, native or auto`);
    return forced;
  }
  const list = [...imports];
  const blocking = list.some((m) => m === 'k6/http' || m === 'k6/x/sse' || m === 'k6/experimental/sse');
  const k6Only = list.some((m) => m === 'k6' || m.startsWith('k6/')) && !list.some((m) => m === 'llmload' || m.startsWith('llmload/'));
  return blocking || k6Only ? 'k6' : 'native';
}
