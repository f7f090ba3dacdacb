// https://jslib.k6.io/k6-utils/<version>/index.js, resolved at bundle time (no network): the
// helpers scripts import most. https://grafana.com/docs/k6/latest/javascript-api/jslib/utils/
import { randomUUID } from 'node:crypto';

export function randomIntBetween(min: number, max: number): number { return Math.floor(Math.random() * (max - min + 1) + min); }
export function randomItem<T>(arr: T[]): T { return arr[Math.floor(Math.random() * arr.length)]!; }
export function randomString(length: number, charset = 'abcdefghijklmnopqrstuvwxyz'): string {
  let s = '';
  for (let i = 0; i < length; i++) s += charset[Math.floor(Math.random() * charset.length)];
  return s;
}
export function uuidv4(): string { return randomUUID(); }
export function findBetween(content: string, left: string, right: string, repeat = false): string | string[] | null {
  const out: string[] = [];
  let from = 0;
  for (;;) {
    const a = content.indexOf(left, from);
    if (a < 0) break;
    const b = content.indexOf(right, a + left.length);
    if (b < 0) break;
    out.push(content.slice(a + left.length, b));
    if (!repeat) break;
    from = b + right.length;
  }
  return repeat ? out : (out[0] ?? null);
}
export default { randomIntBetween, randomItem, randomString, uuidv4, findBetween };
