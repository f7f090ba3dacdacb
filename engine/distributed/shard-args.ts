// The command line of one shard, shared by `llmload plan` (a Kubernetes Indexed Job's pod
// command, the index left to `$(JOB_COMPLETION_INDEX)`) and `llmload run --shards` (the same
// argv with the index filled in), so what runs locally is what runs in the cluster.
import { planShards, sequenceString, type Plan, type Zone } from './distribution.ts';
import { segmentString } from '../segments.ts';

export interface ShardArgsInput {
  plan: Plan;
  zone: Zone;
  /** the shard's index within its zone: a number, or "$(JOB_COMPLETION_INDEX)" in a pod */
  index: string;
  script: string;
  testid: string;
  startAt: string;
  /** the user's own flags, passed through unchanged (-e, --out, --compat, --goodput, …) */
  passthrough: string[];
}

export function shardArgs(i: ShardArgsInput): string[] {
  const mine = i.plan.shards.filter((s) => s.zone === i.zone.label);
  return [
    'run', i.script,
    '--segment', mine.map((s) => segmentString(s.segment)).join(','),
    '--shard-index', i.index,
    '--segment-sequence', sequenceString(i.plan.sequence),
    '--segment-names', i.plan.shards.map((s) => s.instanceId).join(','),
    '--tag', `region=${i.zone.label}`,
    '--tag', `load_zone=${i.zone.loadZone}`,
    '--tag', `instance_id=${i.zone.label}-${i.index}`,
    '--testid', i.testid,
    '--start-at', i.startAt,
    '--no-typecheck',
    ...i.passthrough,
  ];
}

export { planShards };

/** flags of `run` that the plan sets per shard, or that only make sense for the whole run:
 *  dropped from the user's argv before it is passed through (name → takes a value) */
const PLAN_FLAGS: Record<string, boolean> = {
  '--shards': true, '--distribution': true, '--instances': true, '--vus-per-instance': true,
  '--results-dir': true, '--summary-export': true, '--junit': true, '--start-at': true, '--testid': true,
  '--segment': true, '--segment-sequence': true, '--segment-names': true, '--shard-index': true,
  '--print-state': false, '-q': false, '--quiet': false, '--no-summary': false, '--no-typecheck': false,
};

/** the user's `run` argv without the script, `run` and the plan's own flags */
export function passthroughArgs(argv: string[], script: string): string[] {
  const out: string[] = [];
  let skippedScript = false;
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    if (k === 0 && a === 'run') continue;
    const name = a.startsWith('--') ? a.split('=')[0]! : a;
    if (name in PLAN_FLAGS) { if (PLAN_FLAGS[name] && !a.includes('=')) k++; continue; }
    if (!skippedScript && a === script) { skippedScript = true; continue; }
    out.push(a);
  }
  return out;
}
