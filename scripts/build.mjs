// Builds the engine, the worker and the scenario library into dist/ with esbuild.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
rmSync('dist', { recursive: true, force: true });
const common = { bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', sourcemap: 'linked', logLevel: 'warning' };
// no splitting here: engine code locates dist/lib and dist/worker.js from its own file
await build({ ...common, entryPoints: { cli: 'engine/cli.ts', worker: 'engine/worker.ts', 'vu-thread': 'engine/k6/vu-thread.ts', 'sim-tokens': 'sim/token-worker.ts' }, outdir: 'dist' });
await build({
  ...common,
  entryPoints: {
    index: 'lib/index.ts', metrics: 'lib/metrics.ts', llm: 'lib/llm/index.ts', providers: 'lib/providers/index.ts', workload: 'lib/workload/index.ts',
    k6: 'lib/k6.ts', 'k6-metrics': 'lib/k6-metrics.ts', 'k6-execution': 'lib/k6-execution.ts',
    'k6-http': 'lib/k6-http.ts', 'k6-sse': 'lib/k6-sse.ts', 'k6-data': 'lib/k6-data.ts', 'k6-encoding': 'lib/k6-encoding.ts', 'k6-crypto': 'lib/k6-crypto.ts',
    'jslib-k6-summary': 'lib/k6/jslib/k6-summary.ts', 'jslib-k6-utils': 'lib/k6/jslib/k6-utils.ts',
  },
  outdir: 'dist/lib', splitting: true, chunkNames: 'chunks/[name]-[hash]',
});
