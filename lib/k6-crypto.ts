// `k6/crypto` (lib/k6/crypto.ts)
export * from './k6/crypto.ts';
export { default } from './k6/crypto.ts';
