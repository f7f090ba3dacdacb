// Bundles a scenario with esbuild into one ESM file. `llmload`, `llmload/*` and k6's module
// names resolve to our lib (built into dist/lib), kept external so every thread shares one
// copy of the runtime seam; everything else the script imports is inlined.
import { build, type Message, type Plugin } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CliError, EXIT } from './exitcodes.ts';

const here = dirname(fileURLToPath(import.meta.url));
// dist/cli.js → dist/lib; when run from source (tests via tsx) the built lib is still used
export const LIB_DIR = existsSync(join(here, 'lib')) ? join(here, 'lib') : resolve(here, '..', 'dist', 'lib');

export const MODULES: Record<string, string> = {
  llmload: 'index.js',
  'llmload/metrics': 'metrics.js',
  'llmload/llm': 'llm.js',
  'llmload/providers': 'providers.js',
  'llmload/workload': 'workload.js',
  'llmload/execution': 'k6-execution.js',
  k6: 'k6.js',
  'k6/metrics': 'k6-metrics.js',
  'k6/execution': 'k6-execution.js',
};

const UNSUPPORTED: Record<string, string> = {
  'k6/http': 'use `import { chat } from "llmload/llm"` for LLM calls (it measures TTFT, ITL and tokens), or fetch() for plain HTTP; see docs/K6_COMPAT.md',
  'k6/ws': 'WebSockets are not supported yet; see docs/K6_COMPAT.md',
  'k6/browser': 'browser tests are not supported; see docs/K6_COMPAT.md',
  'k6/experimental/streams': 'use llmload/llm for streaming; see docs/K6_COMPAT.md',
};

const resolver: Plugin = {
  name: 'llmload-modules',
  setup(b) {
    b.onResolve({ filter: /^(llmload|k6)(\/.*)?$/ }, (args) => {
      const file = MODULES[args.path];
      if (file) return { path: pathToFileURL(join(LIB_DIR, file)).href, external: true };
      const hint = UNSUPPORTED[args.path];
      const known = Object.keys(MODULES).join(', ');
      return { errors: [{ text: hint ? `"${args.path}" is not available in llmload: ${hint}` : `unknown module "${args.path}": available modules are ${known}` }] };
    });
  },
};

export interface Bundle { path: string; hash: string; bytes: number }

function fmt(m: Message): string {
  const loc = m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ` : '';
  return `${loc}${m.text}`;
}

export async function bundleScenario(script: string, outDir: string): Promise<Bundle> {
  const abs = resolve(script);
  if (!existsSync(abs)) throw new CliError(`script not found: ${script} (give the path of a .ts or .js scenario, e.g. scenarios/smoke.ts)`, EXIT.SCRIPT_ERROR);
  let res;
  try {
    res = await build({
      entryPoints: [abs], bundle: true, format: 'esm', platform: 'node', target: 'node20', write: false,
      plugins: [resolver], logLevel: 'silent', sourcemap: 'inline', sourcesContent: false,
      // scripts may declare k6's globals; we provide them at runtime
      define: {},
    });
  } catch (e) {
    const errs = (e as { errors?: Message[] }).errors;
    const msg = errs && errs.length ? fmt(errs[0]!) : (e as Error).message;
    throw new CliError(`script error: ${msg}`, EXIT.SCRIPT_ERROR);
  }
  const code = res.outputFiles[0]!.contents;
  const hash = createHash('sha256').update(code).digest('hex');
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, `bundle-${hash.slice(0, 12)}.mjs`);
  writeFileSync(path, code);
  return { path, hash, bytes: code.byteLength };
}
