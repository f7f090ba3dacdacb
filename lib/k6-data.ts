// `k6/data` (lib/k6/data.ts)
export * from './k6/data.ts';
export { default } from './k6/data.ts';
