// https://jslib.k6.io/k6-summary/<version>/index.js, resolved at bundle time (no network):
// textSummary() and jUnit() over handleSummary's data, rendered by the engine's own summary
// writers through the runtime seam, so they print what `llmload run` prints.
import { runtime } from '../../runtime.ts';

export function textSummary(data: unknown, options: { indent?: string; enableColors?: boolean } = {}): string {
  const r = runtime();
  if (!r.renderSummary) throw new Error('textSummary() is available in handleSummary (the engine renders it)');
  return r.renderSummary('text', data, { color: !!options.enableColors, indent: options.indent ?? ' ' });
}
export function jUnit(data: unknown, options: { name?: string; classname?: string } = {}): string {
  const r = runtime();
  if (!r.renderSummary) throw new Error('jUnit() is available in handleSummary (the engine renders it)');
  return r.renderSummary('junit', data, { name: options.name, classname: options.classname });
}
export default { textSummary, jUnit };
