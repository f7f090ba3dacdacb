// A package loaded on first use, not at start-up. Measured (`node -e "require(m)"` on polyglot):
// kubernetes-models/v1 160 ms, undici 58 ms, yaml/protobufjs/snappy 8–15 ms each — CPU every
// `llmload` process and every VU thread paid at start whether or not it planned Kubernetes,
// wrote Prometheus or chose the undici client (issue #16: start-up was ~6 µs of the whole
// process's CPU per streamed event in a 20 s run). A static `import` of a package cannot be
// deferred once bundled (esbuild hoists external imports to the top of the file), so the
// few packages off the hot start path go through here.
import { createRequire } from 'node:module';

const req = createRequire(import.meta.url);

export function lazyRequire<T>(id: string): () => T {
  let m: T | undefined;
  return () => (m ??= req(id) as T);
}
