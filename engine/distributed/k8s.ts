// The Kubernetes objects of a plan, built as plain objects typed by kubernetes-models' interfaces
// (a dev dependency: types only, nothing of it loads at run time; the tests validate every file
// against the official schemas with PyPI's kubernetes-validate), never from string templates:
//  - a ConfigMap with the portable bundle (its sha256 in an annotation);
//  - per zone an Indexed Job (completions = parallelism = instances, backoffLimit 0) whose pods
//    run `llmload run` with the zone's segments, picked by $(JOB_COMPLETION_INDEX);
//  - API keys only as secretKeyRef (the Secret is created by the user: README.md of the plan).
// Zones go to nodes of their region by node affinity on topology.kubernetes.io/region, or, when
// a zone names a kube context (zones as separate clusters), into that context's own file set.
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IAffinity } from 'kubernetes-models/v1/Affinity';
import type { Plan, Zone } from './distribution.ts';
import { shardArgs } from './shard-args.ts';
import { scale } from '../segments.ts';

/** the Kubernetes version whose schemas the tests validate the manifests against */
export const K8S_VERSION = '1.31.0';

export interface K8sInput {
  plan: Plan;
  testid: string;
  startAt: string;
  bundleCode: string;
  bundleSha256: string;
  image: string;
  namespace: string;
  secretName: string;
  /** environment variables the pods take from the Secret (API keys) */
  secretKeys: string[];
  /** run flags for every pod (-e, --out, …), secrets already removed */
  passthrough: string[];
  totalVUs: number;
}

export interface ManifestFile { path: string; objects: Array<Record<string, unknown>>; context: string | null }

export const BUNDLE_FILE = 'scenario.mjs';
const MOUNT = '/scenario';

/** Kubernetes names: lowercase RFC 1123 labels, ≤ 63 characters */
export function k8sName(...parts: string[]): string {
  return parts.join('-').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, 63).replace(/-$/, '');
}

/** requests sized from the shard's VUs: 0.5 core and 256 MiB, plus a core per 500 VUs and
 *  1 MiB per VU (measured: ~0.6 MiB heap per streaming VU, docs/PERFORMANCE.md); memory limit 2× */
export function resourcesFor(vus: number): { requests: { cpu: string; memory: string }; limits: { memory: string } } {
  const cpu = Math.max(0.5, Math.ceil((vus / 500) * 4) / 4);
  const mem = 256 + Math.ceil(vus);
  return { requests: { cpu: cpu < 1 ? `${Math.round(cpu * 1000)}m` : String(cpu), memory: `${mem}Mi` }, limits: { memory: `${mem * 2}Mi` } };
}

export function manifests(i: K8sInput): ManifestFile[] {
  const labels = { 'app.kubernetes.io/name': 'llmload', 'app.kubernetes.io/component': 'runner', 'llmload.dev/testid': k8sName(i.testid) };
  const cmName = k8sName('llmload', i.testid, 'bundle');
  const configMap = (): IConfigMap => ({
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: cmName, namespace: i.namespace, labels, annotations: { 'llmload.dev/bundle-sha256': i.bundleSha256, 'llmload.dev/start-at': i.startAt } },
    data: { [BUNDLE_FILE]: i.bundleCode },
  });
  const byContext = new Map<string | null, Zone[]>();
  for (const z of i.plan.zones) byContext.set(z.context ?? null, [...(byContext.get(z.context ?? null) ?? []), z]);
  const files: ManifestFile[] = [];
  for (const [context, zones] of byContext) {
    const dir = context ? `${k8sName(context)}/` : '';
    files.push({ path: `${dir}configmap.yaml`, objects: [configMap() as unknown as Record<string, unknown>], context });
    for (const z of zones) files.push({ path: `${dir}job-${z.label}.yaml`, objects: [zoneJob(i, z, cmName, labels, context !== null) as unknown as Record<string, unknown>], context });
  }
  return files;
}

function zoneJob(i: K8sInput, z: Zone, cmName: string, labels: Record<string, string>, ownCluster: boolean): IJob {
  const shards = i.plan.shards.filter((s) => s.zone === z.label);
  const vus = Math.max(...shards.map((s) => scale(i.totalVUs, s.segment)), 1);
  const zl = { ...labels, 'llmload.dev/zone': z.label };
  const args = [...shardArgs({ plan: i.plan, zone: z, index: '$(JOB_COMPLETION_INDEX)', script: `${MOUNT}/${BUNDLE_FILE}`, testid: i.testid, startAt: i.startAt, passthrough: i.passthrough }), '--results-dir', '/results', '--print-state', '-q'];
  // a zone in a cluster of its own runs wherever that cluster puts it; zones sharing a
  // cluster go to their region's nodes
  const affinity: IAffinity | undefined = !ownCluster && z.region ? { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/region', operator: 'In' as const, values: [z.region] }] }] } } } : undefined;
  return {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: { name: k8sName('llmload', i.testid, z.label), namespace: i.namespace, labels: zl, annotations: { 'llmload.dev/load-zone': z.loadZone, 'llmload.dev/percent': String(z.percent), 'llmload.dev/bundle-sha256': i.bundleSha256 } },
    spec: {
      completionMode: 'Indexed', completions: z.instances, parallelism: z.instances, backoffLimit: 0,
      ttlSecondsAfterFinished: 86400,
      template: {
        metadata: { labels: { ...zl } }, // a copy: a shared object would be written as a YAML alias
        spec: {
          restartPolicy: 'Never',
          ...(affinity ? { affinity } : {}),
          containers: [{
            name: 'llmload', image: i.image, args,
            env: [
              // the index as an environment variable, so $(JOB_COMPLETION_INDEX) expands in args
              { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
              ...i.secretKeys.map((k) => ({ name: k, valueFrom: { secretKeyRef: { name: i.secretName, key: k } } })),
            ],
            resources: resourcesFor(vus),
            volumeMounts: [{ name: 'scenario', mountPath: MOUNT, readOnly: true }, { name: 'results', mountPath: '/results' }],
          }],
          volumes: [{ name: 'scenario', configMap: { name: cmName } }, { name: 'results', emptyDir: {} }],
        },
      },
    },
  };
}
