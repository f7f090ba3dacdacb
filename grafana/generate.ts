// `make dashboards`: renders grafana/dashboards/*.ts to grafana/json/*.json (InfluxDB) and
// grafana/json/prometheus/*.json (Prometheus) — committed; a test fails when they are stale.
// `--check` only compares.
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DASHBOARDS } from './dashboards/index.ts';

const out = join(dirname(fileURLToPath(import.meta.url)), 'json');

export function render(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, make] of Object.entries(DASHBOARDS)) {
    files[`${name}.json`] = JSON.stringify(make('influxdb').build(), null, 2) + '\n';
    files[`prometheus/${name}.json`] = JSON.stringify(make('prometheus').build(), null, 2) + '\n';
  }
  return files;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [f, text] of Object.entries(render())) {
    const p = join(out, f);
    const old = existsSync(p) ? readFileSync(p, 'utf8') : '';
    if (old === text) continue;
    stale++;
    if (check) console.error(`stale: grafana/json/${f} (run make dashboards)`);
    else { mkdirSync(dirname(p), { recursive: true }); writeFileSync(p, text); console.log(`wrote grafana/json/${f}`); }
  }
  if (check && stale) process.exit(1);
}
