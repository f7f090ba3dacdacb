// `import http from 'k6/http'` (lib/k6/http.ts)
export * from './k6/http.ts';
export { default } from './k6/http.ts';
