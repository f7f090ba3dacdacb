// `import { check, group, sleep, fail } from 'k6'` resolves here, so k6 scripts port with only
// blocking calls turned into awaits (docs/K6_COMPAT.md).
export { check, group, sleep, fail } from './index.ts';
