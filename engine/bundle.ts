// Bundles a scenario with esbuild into one ESM file. `llmload`, `llmload/*` and k6's module
// names resolve to our lib (built into dist/lib), kept external so every thread shares one
// copy of the runtime seam; everything else the script imports is inlined.
import { build, stop as stopEsbuild, type Message, type Plugin } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CliError, EXIT } from './exitcodes.ts';
import { compatMode, type Compat } from './k6/mode.ts';
import { toSharedVus } from './k6/async/transform.ts';

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
  'k6/http': 'k6-http.js',
  'k6/x/sse': 'k6-sse.js',
  'k6/experimental/sse': 'k6-sse.js',
  'k6/data': 'k6-data.js',
  'k6/encoding': 'k6-encoding.js',
  'k6/crypto': 'k6-crypto.js',
};

// jslib.k6.io modules resolve to our own implementations at bundle time (no network)
const JSLIB: Array<[RegExp, string]> = [
  [/^https:\/\/jslib\.k6\.io\/k6-summary\/[^/]+\/index\.js$/, 'jslib-k6-summary.js'],
  [/^https:\/\/jslib\.k6\.io\/k6-utils\/[^/]+\/index\.js$/, 'jslib-k6-utils.js'],
];

const UNSUPPORTED: Record<string, string> = {
  'k6/net/grpc': 'gRPC is not supported; see docs/K6_COMPAT.md',
  'k6/timers': 'use the global setTimeout/setInterval (Node has them); see docs/K6_COMPAT.md',
  'k6/ws': 'WebSockets are not supported yet; see docs/K6_COMPAT.md',
  'k6/browser': 'browser tests are not supported; see docs/K6_COMPAT.md',
  'k6/experimental/streams': 'use llmload/llm for streaming; see docs/K6_COMPAT.md',
};

/** portable: leave llmload, k6 and jslib imports as written, for a bundle that another
 *  machine's llmload bundles again (`llmload plan` puts it in a ConfigMap); else resolve them
 *  to this installation's files */
function resolverFor(imports: Set<string>, portable = false): Plugin {
  return {
  name: 'llmload-modules',
  setup(b) {
    b.onResolve({ filter: /^https?:\/\// }, (args) => {
      const hit = JSLIB.find(([re]) => re.test(args.path));
      if (hit) { imports.add('jslib'); return { path: portable ? args.path : pathToFileURL(join(LIB_DIR, hit[1])).href, external: true }; }
      return { errors: [{ text: `remote module "${args.path}" cannot be fetched (llmload bundles offline): jslib's k6-summary and k6-utils are built in; download any other module next to the script and import it by relative path` }] };
    });
    b.onResolve({ filter: /^(llmload|k6)(\/.*)?$/ }, (args) => {
      imports.add(args.path);
      const file = MODULES[args.path];
      if (file) return { path: portable ? args.path : pathToFileURL(join(LIB_DIR, file)).href, external: true };
      const hint = UNSUPPORTED[args.path];
      const known = Object.keys(MODULES).join(', ');
      return { errors: [{ text: hint ? `"${args.path}" is not available in llmload: ${hint}` : `unknown module "${args.path}": available modules are ${known}` }] };
    });
  },
  };
}

export interface Bundle {
  path: string; hash: string; bytes: number;
  /** llmload and k6 modules the script imports */
  imports: string[];
  /** how VUs run it (engine/k6/mode.ts) */
  compat: Compat;
  /** k6 mode: the script rewritten for many VUs per thread (engine/k6/async/), or why a thread
   *  per VU is kept */
  vus?: { shared: true; path: string; exports: string[] } | { shared: false; why: string };
}

// a module's name from its resolved import (file:///…/dist/lib/k6-http.js → k6/http)
const BY_FILE = new Map(Object.entries(MODULES).reverse().map(([name, file]) => [file, name]));
const moduleOf = (source: string): string | undefined => MODULES[source] ? source : BY_FILE.get(source.slice(source.lastIndexOf('/') + 1));

/** k6 mode's VU model: many VUs per thread where the rewrite keeps k6's semantics, unless
 *  `--compat k6-threads` asks for a thread per VU */
function sharedVus(code: string, outDir: string, hash: string, forced?: string): NonNullable<Bundle['vus']> {
  if (forced === 'k6-threads') return { shared: false, why: '--compat k6-threads' };
  const t = toSharedVus(code, moduleOf);
  if (!t.ok) {
    const line = code.split('\n')[t.line - 1]?.trim() ?? '';
    return { shared: false, why: `${t.why}: \`${line.length > 80 ? line.slice(0, 77) + '...' : line}\`` };
  }
  const path = join(outDir, `bundle-${hash.slice(0, 12)}-vus.mjs`);
  writeFileSync(path, t.code);
  return { shared: true, path, exports: t.exports };
}

function fmt(m: Message): string {
  const loc = m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ` : '';
  return `${loc}${m.text}`;
}

export async function bundleScenario(script: string, outDir: string, forced?: string, portable = false): Promise<Bundle> {
  const abs = resolve(script);
  if (!existsSync(abs)) throw new CliError(`script not found: ${script} (give the path of a .ts or .js scenario, e.g. scenarios/smoke.ts)`, EXIT.SCRIPT_ERROR);
  let res;
  const imports = new Set<string>();
  try {
    res = await build({
      entryPoints: [abs], bundle: true, format: 'esm', platform: 'node', target: 'node20', write: false,
      plugins: [resolverFor(imports, portable)], logLevel: 'silent', sourcemap: portable ? false : 'inline', sourcesContent: false,
      // scripts may declare k6's globals; we provide them at runtime
      define: {},
    });
  } catch (e) {
    const errs = (e as { errors?: Message[] }).errors;
    const msg = errs && errs.length ? fmt(errs[0]!) : (e as Error).message;
    throw new CliError(`script error: ${msg}`, EXIT.SCRIPT_ERROR);
  }
  // the esbuild service is a child process: stop it now, so nothing of ours outlives the run
  await stopEsbuild().catch(() => {});
  const code = res.outputFiles[0]!.contents;
  const hash = createHash('sha256').update(code).digest('hex');
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, `bundle-${hash.slice(0, 12)}.mjs`);
  writeFileSync(path, code);
  let compat: Compat;
  try { compat = compatMode(imports, forced === 'k6-threads' ? 'k6' : forced); } catch (e) { throw new CliError((e as Error).message, EXIT.INVALID_CONFIG); }
  const vus = compat === 'k6' && !portable ? sharedVus(res.outputFiles[0]!.text, outDir, hash, forced) : undefined;
  return { path, hash, bytes: code.byteLength, imports: [...imports].sort(), compat, ...(vus ? { vus } : {}) };
}
