// `llmload plan SCRIPT --out DIR [-- RUN FLAGS…]`: the Kubernetes manifests of a distributed run
// (engine/distributed/k8s.ts), a plan.json, and a README.md saying how to apply, collect and
// merge. Run flags after `--` (-e, --out influxdb=…, --goodput …) go into every pod's command;
// `-e` values of secret-looking names never do: those become secretKeyRef variables.
import type { Command } from 'commander';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lazyRequire } from '../../lib/lazy-require.ts';
import { CliError, EXIT } from '../exitcodes.ts';
import { assignInstances, planShards, sequenceString, DistributionError } from './distribution.ts';
import { zonesFor } from './local.ts';
import { readScriptOptions } from './script-options.ts';
import { bundleScenario } from '../bundle.ts';
import { manifests, K8S_VERSION, k8sName } from './k8s.ts';
import { parseStartAt } from './barrier.ts';
import { segmentString } from '../segments.ts';
import { PROVIDERS as registry } from '../../lib/providers/registry.ts';
import { VERSION } from '../version.ts';
import { tmpdir } from 'node:os';
import { newTestId } from '../run-id.ts';

const yaml = lazyRequire<typeof import('yaml')>('yaml');

const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|AUTH)/i;

/** run flags for the pods: `-e NAME=VALUE` of a secret-looking name is dropped (the pods get
 *  NAME from the Secret instead); returns the flags and the names to take from the Secret */
export function splitSecrets(runArgs: string[], env: Record<string, string>): { passthrough: string[]; secretKeys: string[] } {
  const out: string[] = [];
  const keys = new Set<string>();
  for (let k = 0; k < runArgs.length; k++) {
    const a = runArgs[k]!;
    const inline = /^(?:-e|--env)=(.+)$/.exec(a);
    const pair = inline ? inline[1]! : (a === '-e' || a === '--env') ? runArgs[k + 1] : undefined;
    if (pair !== undefined) {
      const name = pair.split('=')[0]!;
      if (!inline) k++;
      if (SECRET_NAME.test(name)) { keys.add(name); continue; }
      out.push('-e', pair);
      continue;
    }
    out.push(a);
  }
  // the providers' key variables: PROVIDER / PROVIDERS from the flags or the environment
  const given = Object.fromEntries(out.flatMap((a, k) => (out[k - 1] === '-e' ? [a.split('=') as [string, string]] : [])));
  const names = [...String(given.PROVIDERS ?? env.PROVIDERS ?? '').split(','), String(given.PROVIDER ?? env.PROVIDER ?? '')].map((x) => x.trim().toLowerCase()).filter(Boolean);
  for (const n of names) { const p = registry[n]; if (p?.keyEnv && p.keyRequired) keys.add(p.keyEnv); }
  return { passthrough: out, secretKeys: [...keys].sort() };
}

export function planCommand(program: Command): void {
  program.command('plan')
    .description('write the Kubernetes manifests of a distributed run: a ConfigMap with the bundle, an Indexed Job per zone (run flags for the pods after --)')
    .argument('<script>')
    .argument('[runArgs...]', 'flags for every pod\'s `llmload run`, after --')
    .requiredOption('--out <dir>', 'where to write the manifests')
    .option('--distribution <list>', 'zones and shares, e.g. eu=50,us=30,ap=20 (default: the script\'s options)')
    .option('--instances <n>', 'instances per zone (default: from the load, --vus-per-instance)')
    .option('--shards <n>', 'instances in all, spread over the zones by share')
    .option('--vus-per-instance <n>', 'VUs one instance carries (default 1000)')
    .option('--start-at <time>', 'the start barrier: RFC 3339 (default: now + --start-delay)')
    .option('--start-delay <d>', 'time to apply the manifests and pull the image before the start (default 3m)', '3m')
    .option('--image <ref>', 'runner image', `ghcr.io/llmload/llmload:${VERSION}`)
    .option('--namespace <ns>', 'namespace of every object', 'llmload')
    .option('--secret <name>', 'the Secret that holds the API keys', 'llmload-keys')
    .option('--kube-context <zone=context>', 'a zone runs in a cluster of its own (repeatable)', (v: string, p: string[]) => [...p, v], [] as string[])
    .option('--testid <id>', 'test id (default: time-based)')
    // k6 users write `-e K=V` where they would for `k6 run`: taken here as in `llmload run`
    // (before or after --), for the script's options and for every pod
    .option('-e, --env <name=value>', 'an environment variable for the script and every pod, as `llmload run -e` (repeatable)', (v: string, p: string[]) => [...p, v], [] as string[])
    .action(async (script: string, runArgs0: string[], o: Record<string, string | string[] | undefined>) => {
      const envFlags = (o.env as string[]) ?? [];
      for (const e of envFlags) if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(e)) throw new CliError(`invalid -e "${e}": use NAME=VALUE`, EXIT.INVALID_CONFIG);
      const runArgs = [...envFlags.flatMap((e) => ['-e', e]), ...runArgs0];
      // the script's options see -e values (before or after --) as `llmload run` would
      const given: Record<string, string> = {};
      for (let k = 0; k < runArgs.length; k++) {
        const a = runArgs[k]!;
        const pair = /^(?:-e|--env)=(.+)$/.exec(a)?.[1] ?? ((a === '-e' || a === '--env') ? runArgs[++k] : undefined);
        if (pair?.includes('=')) given[pair.slice(0, pair.indexOf('='))] = pair.slice(pair.indexOf('=') + 1);
      }
      const env = { ...(process.env as Record<string, string>), ...given };
      const int = (name: string, v: unknown) => { if (v === undefined) return undefined; if (!/^\d+$/.test(String(v))) throw new CliError(`invalid --${name} "${v}": expected a whole number`, EXIT.INVALID_CONFIG); return Number(v); };
      const so = await readScriptOptions(script, env);
      const zones = zonesFor(o.distribution as string | undefined, so.raw);
      for (const kc of o.kubeContext as string[]) {
        const [zone, ctx] = kc.split('=');
        const z = zones.find((x) => x.label === zone);
        if (!z || !ctx) throw new CliError(`invalid --kube-context "${kc}": use ZONE=CONTEXT with a zone of the distribution (${zones.map((x) => x.label).join(', ')})`, EXIT.INVALID_CONFIG);
        z.context = ctx;
      }
      let plan;
      try { plan = planShards(assignInstances(zones, { shards: int('shards', o.shards), perZone: int('instances', o.instances), totalVUs: so.totalVUs, vusPerInstance: int('vus-per-instance', o.vusPerInstance) ?? Number((so.raw.llmload as { vusPerInstance?: number } | undefined)?.vusPerInstance ?? 1000) })); } catch (e) { if (e instanceof DistributionError) throw new CliError(e.message, EXIT.INVALID_CONFIG); throw e; }
      let startAt: string;
      try { startAt = new Date(o.startAt ? parseStartAt(o.startAt as string).targetEpochMs : parseStartAt(`+${o.startDelay}`).targetEpochMs).toISOString(); } catch (e) { throw new CliError((e as Error).message.replace('--start-at "+', '--start-delay "'), EXIT.INVALID_CONFIG); }
      const testid = (o.testid as string | undefined) ?? newTestId();
      const portable = await bundleScenario(script, join(tmpdir(), `llmload-plan-${process.pid}`, 'portable'), undefined, true);
      const code = readFileSync(portable.path, 'utf8');
      if (code.length > 900_000) throw new CliError(`the bundled scenario is ${(code.length / 1e6).toFixed(2)} MB: a ConfigMap holds at most 1 MiB; move large data files out of the bundle (open() them from a volume)`, EXIT.INVALID_CONFIG);
      const { passthrough, secretKeys } = splitSecrets(runArgs, env);
      const files = manifests({ plan, testid, startAt, bundleCode: code, bundleSha256: portable.hash, image: o.image as string, namespace: o.namespace as string, secretName: o.secret as string, secretKeys, passthrough, totalVUs: so.totalVUs });
      const out = resolve(o.out as string);
      for (const f of files) {
        mkdirSync(join(out, f.path, '..'), { recursive: true });
        // YAML 1.1 quoting: kubectl's parser reads an unquoted ISO time as a timestamp, not a string
        writeFileSync(join(out, f.path), f.objects.map((x) => yaml().stringify(x, { lineWidth: 0, version: '1.1' })).join('---\n'));
      }
      const planJson = { testid, start_at: startAt, kubernetes: K8S_VERSION, bundle_sha256: portable.hash, sequence: sequenceString(plan.sequence), zones: plan.zones, shards: plan.shards.map((s) => ({ zone: s.zone, instance_id: s.instanceId, segment: segmentString(s.segment) })), secret: o.secret, secret_keys: secretKeys, files: files.map((f) => f.path) };
      writeFileSync(join(out, 'plan.json'), JSON.stringify(planJson, null, 2) + '\n');
      writeFileSync(join(out, 'README.md'), readme(planJson, o.namespace as string));
      process.stdout.write(`wrote ${files.length} manifest files for ${plan.shards.length} shards in ${plan.zones.length} zones to ${out} (start at ${startAt}; see README.md there)\n`);
    });
}

function readme(p: { testid: string; start_at: string; secret: unknown; secret_keys: string[]; zones: Array<{ label: string; context?: string }>; files: string[] }, ns: string): string {
  const contexts = [...new Set(p.zones.map((z) => z.context ?? null))];
  const ctx = (c: string | null) => (c ? ` --context ${c}` : '');
  const dir = (c: string | null) => (c ? k8sName(c) + '/' : '');
  return `# llmload plan ${p.testid}

Every shard starts at **${p.start_at}** (the start barrier; node clocks must be NTP-synced).
Apply before then; a shard that starts late says so in its result.

${contexts.map((c) => `## ${c ? `Context ${c}` : 'Apply'}

\`\`\`sh
kubectl${ctx(c)} create namespace ${ns} --dry-run=client -o yaml | kubectl${ctx(c)} apply -f -
kubectl${ctx(c)} -n ${ns} create secret generic ${p.secret}${p.secret_keys.map((k) => ` --from-literal=${k}="$${k}"`).join('')}
kubectl${ctx(c)} apply${p.files.filter((f) => (c ? f.startsWith(dir(c)) : !f.includes('/'))).map((f) => ` -f ${f}`).join('')}
\`\`\`
`).join('\n')}
## Collect and merge

Each pod prints its mergeable state as its last log line:

\`\`\`sh
${contexts.map((c) => `kubectl${ctx(c)} -n ${ns} wait --for=condition=complete --timeout=2h job -l llmload.dev/testid=${k8sName(p.testid)}
kubectl${ctx(c)} -n ${ns} logs -l llmload.dev/testid=${k8sName(p.testid)} --tail=1 --max-log-requests=100 > shards${c ? '-' + k8sName(c) : ''}.log`).join('\n')}
llmload merge shards*.log --results-dir results/${p.testid}
\`\`\`

\`merge\` names any shard whose state is missing (exit 115); \`--allow-partial\` merges the rest.
`;
}
