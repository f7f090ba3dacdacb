// A test's load split across zones (k6 cloud's multi-region runs), and each zone's share split
// across instances: one global execution-segment sequence, so the shards' VUs, iterations and
// arrivals are an exact partition of the whole schedule for every executor (engine/segments.ts).
// Accepted shapes (docs/DISTRIBUTED.md):
//  - options.cloud.distribution / options.llmload.distribution:
//      { label: { loadZone: 'amazon:ie:dublin', percent: 50, instances?, region?, context? } }
//  - the legacy options.ext.loadimpact.distribution (the seed article's script):
//      { 'amazon:us:ashburn': { weight: 50 } } — the key is the zone, weight or percent the share
//  - the CLI's --distribution 'eu=50,us=30,ap=20' (label[:loadZone]=percent)
import type { Fraction, Segment } from '../segments.ts';

export class DistributionError extends Error {}

export interface Zone {
  /** short name: the `region` tag, file and Job names */
  label: string;
  /** k6's load zone, e.g. amazon:us:ashburn */
  loadZone: string;
  percent: number;
  /** instances (shards) in this zone */
  instances: number;
  /** cloud region for node affinity (topology.kubernetes.io/region) */
  region: string;
  /** kube context when zones are separate clusters */
  context?: string;
}

/** a zone as declared, before instances are assigned */
export type ZoneSpec = Omit<Zone, 'instances'> & { instances?: number };

export interface Shard { zone: string; loadZone: string; index: number; instanceId: string; segment: Segment }
export interface Plan { zones: Zone[]; shards: Shard[]; sequence: Fraction[] }

/** k6 cloud load zones and the AWS regions they run in (for node affinity); others need `region` */
export const LOAD_ZONE_REGIONS: Record<string, string> = {
  'amazon:us:ashburn': 'us-east-1', 'amazon:us:columbus': 'us-east-2', 'amazon:us:palo alto': 'us-west-1', 'amazon:us:portland': 'us-west-2',
  'amazon:ca:montreal': 'ca-central-1', 'amazon:br:sao paulo': 'sa-east-1', 'amazon:ie:dublin': 'eu-west-1', 'amazon:gb:london': 'eu-west-2',
  'amazon:fr:paris': 'eu-west-3', 'amazon:de:frankfurt': 'eu-central-1', 'amazon:it:milan': 'eu-south-1', 'amazon:se:stockholm': 'eu-north-1',
  'amazon:jp:tokyo': 'ap-northeast-1', 'amazon:kr:seoul': 'ap-northeast-2', 'amazon:jp:osaka': 'ap-northeast-3', 'amazon:in:mumbai': 'ap-south-1',
  'amazon:sg:singapore': 'ap-southeast-1', 'amazon:au:sydney': 'ap-southeast-2', 'amazon:cn:hong kong': 'ap-east-1',
};

const LABEL = /^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/;
const ZONE_KEYS = ['loadZone', 'percent', 'instances', 'region', 'context'];
const LEGACY_KEYS = ['weight', 'percent', 'instances', 'region', 'context'];

/** a label Kubernetes accepts in names (lowercase, digits, dashes) from a load zone or key */
export function labelOf(s: string): string {
  const parts = s.toLowerCase().split(':');
  const base = (parts.length === 3 ? parts.slice(1).join('-') : s.toLowerCase()).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return base.slice(0, 32).replace(/-+$/, '') || 'zone';
}

function isObj(x: unknown): x is Record<string, unknown> { return typeof x === 'object' && x !== null && !Array.isArray(x); }

function checkKeys(where: string, o: Record<string, unknown>, valid: string[]): void {
  for (const k of Object.keys(o)) if (!valid.includes(k)) throw new DistributionError(`unknown key "${k}" in ${where}: valid keys are ${valid.join(', ')}`);
}

function positiveInt(where: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new DistributionError(`invalid instances ${JSON.stringify(v)} in ${where}: a whole number ≥ 1`);
  return v;
}

/** The distribution a script's options declare (null: none), validated. */
export function distributionFromOptions(raw: Record<string, unknown>): ZoneSpec[] | null {
  const cloud = isObj(raw.cloud) ? raw.cloud.distribution : undefined;
  const ours = isObj(raw.llmload) ? raw.llmload.distribution : undefined;
  const legacy = isObj(raw.ext) && isObj(raw.ext.loadimpact) ? raw.ext.loadimpact.distribution : undefined;
  const given = [cloud !== undefined && 'options.cloud.distribution', ours !== undefined && 'options.llmload.distribution', legacy !== undefined && 'options.ext.loadimpact.distribution'].filter(Boolean) as string[];
  if (given.length === 0) return null;
  if (given.length > 1) throw new DistributionError(`both ${given.join(' and ')} are set: keep one`);
  if (legacy !== undefined) return parseLegacy(legacy);
  return parseLabelled(given[0]!, cloud ?? ours);
}

function parseLabelled(where: string, d: unknown): ZoneSpec[] {
  if (!isObj(d) || Object.keys(d).length === 0) throw new DistributionError(`${where} is empty: give at least one zone, e.g. { eu: { loadZone: 'amazon:ie:dublin', percent: 100 } }`);
  const zones = Object.entries(d).map(([label, z]) => {
    const at = `${where}.${label}`;
    if (!isObj(z)) throw new DistributionError(`${at} must be an object like { loadZone: 'amazon:ie:dublin', percent: 50 }`);
    checkKeys(at, z, ZONE_KEYS);
    if (typeof z.loadZone !== 'string' || !z.loadZone) throw new DistributionError(`${at} has no loadZone: e.g. loadZone: 'amazon:ie:dublin'`);
    if (typeof z.percent !== 'number' || !Number.isInteger(z.percent) || z.percent < 1 || z.percent > 100) throw new DistributionError(`invalid percent ${JSON.stringify(z.percent)} in ${at}: a whole number from 1 to 100`);
    const l = label.toLowerCase();
    if (!LABEL.test(l)) throw new DistributionError(`invalid zone label "${label}" in ${where}: use letters, digits and dashes (it names Kubernetes objects)`);
    return { label: l, loadZone: z.loadZone, percent: z.percent, region: typeof z.region === 'string' ? z.region : LOAD_ZONE_REGIONS[z.loadZone] ?? '', ...(typeof z.context === 'string' ? { context: z.context } : {}), ...(z.instances !== undefined ? { instances: positiveInt(at, z.instances) } : {}) };
  });
  const sum = zones.reduce((a, z) => a + z.percent, 0);
  if (sum !== 100) throw new DistributionError(`the percents in ${where} sum to ${sum}, not 100: ${zones.map((z) => `${z.label} ${z.percent}`).join(', ')}`);
  return zones;
}

/** legacy: key = zone, `weight` (any positive numbers, normalized) or `percent` (sum 100) */
function parseLegacy(d: unknown): ZoneSpec[] {
  const where = 'options.ext.loadimpact.distribution';
  if (!isObj(d) || Object.keys(d).length === 0) throw new DistributionError(`${where} is empty: give at least one zone, e.g. { 'amazon:us:ashburn': { weight: 100 } }`);
  const rows = Object.entries(d).map(([zone, z]) => {
    const at = `${where}['${zone}']`;
    if (!isObj(z)) throw new DistributionError(`${at} must be an object like { weight: 50 }`);
    checkKeys(at, z, LEGACY_KEYS);
    const share = z.percent ?? z.weight;
    if (z.percent !== undefined && z.weight !== undefined) throw new DistributionError(`${at} has both weight and percent: keep one`);
    if (typeof share !== 'number' || !(share > 0)) throw new DistributionError(`invalid share ${JSON.stringify(share)} in ${at}: a positive weight or percent`);
    return { zone, z, share, usesPercent: z.percent !== undefined };
  });
  if (rows.some((r) => r.usesPercent) && rows.some((r) => !r.usesPercent)) throw new DistributionError(`${where} mixes weight and percent: use one for every zone`);
  const total = rows.reduce((a, r) => a + r.share, 0);
  if (rows[0]!.usesPercent && Math.abs(total - 100) > 1e-9) throw new DistributionError(`the percents in ${where} sum to ${total}, not 100`);
  // weights → whole percents by largest remainder, so the shares still sum to exactly 100
  const exact = rows.map((r) => (r.share * 100) / total);
  const pct = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; k < 100 - pct.reduce((a, b) => a + b, 0); k++) pct[order[k]![1]]! += 1;
  const seen = new Set<string>();
  return rows.map((r, i) => {
    if (pct[i]! < 1) throw new DistributionError(`zone ${r.zone} gets less than 1 % of the load in ${where}: raise its weight or drop it`);
    let label = labelOf(r.zone);
    while (seen.has(label)) label = `${label}-${i}`;
    seen.add(label);
    return { label, loadZone: r.zone, percent: pct[i]!, region: typeof r.z.region === 'string' ? r.z.region : LOAD_ZONE_REGIONS[r.zone] ?? '', ...(typeof r.z.context === 'string' ? { context: r.z.context } : {}), ...(r.z.instances !== undefined ? { instances: positiveInt(`${where}['${r.zone}']`, r.z.instances) } : {}) };
  });
}

/** --distribution 'eu=50,us=30,ap=20' or 'eu:amazon:ie:dublin=50,…' */
export function parseDistributionFlag(s: string): ZoneSpec[] {
  const parts = s.split(',').map((x) => x.trim()).filter(Boolean);
  if (!parts.length) throw new DistributionError(`--distribution is empty: e.g. --distribution eu=50,us=30,ap=20`);
  const d: Record<string, unknown> = {};
  for (const p of parts) {
    const m = /^([^=:]+)(?::(.+))?=(\d+)$/.exec(p);
    if (!m) throw new DistributionError(`invalid --distribution entry "${p}": use LABEL=PERCENT or LABEL:LOADZONE=PERCENT, e.g. eu:amazon:ie:dublin=50`);
    d[m[1]!] = { loadZone: m[2] ?? m[1]!, percent: Number(m[3]) };
  }
  return parseLabelled('--distribution', d);
}

/**
 * Instances per zone. `shards`: a total to spread over the zones in proportion to their
 * percent (largest remainder, at least one each); else each zone's own `instances`, else
 * `perZone`, else from the load: ceil(zone's VUs / vusPerInstance).
 */
export function assignInstances(zones: ZoneSpec[], o: { shards?: number; perZone?: number; totalVUs: number; vusPerInstance: number }): Zone[] {
  if (o.shards !== undefined) {
    if (o.shards < zones.length) throw new DistributionError(`--shards ${o.shards} is fewer than the ${zones.length} zones of the distribution: give at least one shard per zone`);
    const exact = zones.map((z) => (o.shards! * z.percent) / 100);
    const n = exact.map((x) => Math.max(1, Math.floor(x)));
    const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
    let left = o.shards - n.reduce((a, b) => a + b, 0);
    for (let k = 0; left > 0; k = (k + 1) % zones.length, left--) n[order[k]![1]]! += 1;
    while (left < 0) { const i = n.indexOf(Math.max(...n)); n[i]! -= 1; left++; }
    return zones.map((z, i) => ({ ...z, instances: n[i]! }));
  }
  return zones.map((z) => ({ ...z, instances: z.instances ?? o.perZone ?? Math.max(1, Math.ceil((o.totalVUs * z.percent) / 100 / o.vusPerInstance)) }));
}

function gcd(a: number, b: number): number { while (b) [a, b] = [b, a % b]; return Math.abs(a); }
function frac(n: number, d: number): Fraction { const g = gcd(n, d) || 1; return { n: n / g, d: d / g }; }

/** zones → one sequence: zone z spans [Σ earlier percents, + its percent)/100, cut into equal
 *  parts per instance; instance j of zone z is the segment between two adjacent points */
export function planShards(zones: Zone[]): Plan {
  const shards: Shard[] = [];
  const seq: Fraction[] = [{ n: 0, d: 1 }];
  let before = 0;
  for (const z of zones) {
    for (let j = 0; j < z.instances; j++) {
      // (before + percent·(j+1)/instances) / 100 as an exact fraction
      const to = frac(before * z.instances + z.percent * (j + 1), 100 * z.instances);
      const from = seq[seq.length - 1]!;
      seq.push(to);
      shards.push({ zone: z.label, loadZone: z.loadZone, index: j, instanceId: `${z.label}-${j}`, segment: { from, to } });
    }
    before += z.percent;
  }
  return { zones, shards, sequence: seq };
}

export function fractionString(f: Fraction): string { return f.n === 0 ? '0' : f.d === 1 ? String(f.n) : `${f.n}/${f.d}`; }
export function sequenceString(seq: Fraction[]): string { return seq.map(fractionString).join(','); }
