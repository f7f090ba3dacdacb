// `k6/encoding` (lib/k6/encoding.ts)
export * from './k6/encoding.ts';
export { default } from './k6/encoding.ts';
