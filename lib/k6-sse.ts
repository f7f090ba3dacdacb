// `k6/x/sse` (lib/k6/sse.ts)
export * from './k6/sse.ts';
export { default } from './k6/sse.ts';
