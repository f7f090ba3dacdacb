// Shared pieces of the llmload dashboards (dashboards as code with grafana-foundation-sdk).
// One definition per panel with a query per datasource: InfluxQL for `--out influxdb`, PromQL
// for `--out experimental-prometheus-rw` (names as engine/outputs/prometheus/mapping.ts writes
// them). Each dashboard renders once per datasource (grafana/json/ and grafana/json/prometheus/).
// The SDK has no InfluxDB query builder, so InfluxQL targets implement cog.Builder here.
import * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';

export type Datasource = 'influxdb' | 'prometheus';
export const DATASOURCES: Record<Datasource, common.DataSourceRef> = {
  influxdb: { type: 'influxdb', uid: 'llmload-influxdb' },
  prometheus: { type: 'prometheus', uid: 'llmload-prometheus' },
};
export const DATASOURCE = DATASOURCES.influxdb;

/** PromQL label matchers every panel shares (the run and the template variables) */
export const PRUN = 'testid=~"$testid"';
export const PLLM = 'testid=~"$testid", provider=~"$provider", model=~"$model"';
/** PromQL's range for rate(): Grafana's $__rate_interval (at least four scrape intervals) */
export const RI = '[$__rate_interval]';

/** one panel query, written for each datasource (null where that datasource needs no query
 *  of its own: one InfluxQL SELECT returns p50, p95 and p99, PromQL needs one per series) */
export interface Q { influx: InfluxQL | null; prom: { expr: string; legend: string } | null }
export function q(influx: InfluxQL | null, expr: string | null, legend = ''): Q { return { influx, prom: expr === null ? null : { expr, legend } }; }

/** A counter per second by one tag: the InfluxQL and the PromQL of the same series (the run's
 *  LLM filters, plus `extra` in InfluxQL and `promExtra` in PromQL) */
export function perSecondBy(measurement: string, by: string, extra = '', promExtra = ''): Q {
  return q(new InfluxQL(`SELECT sum("value") FROM "${measurement}" WHERE ${LLM}${extra} GROUP BY time(1s), "${by}" fill(none)`).alias(`$tag_${by}`),
    `sum by (${by}) (rate(k6_${measurement}_total{${PLLM}${promExtra}}${RI}))`, `{{${by}}}`);
}

/** Filters every panel shares: the run and the template variables. */
export const RUN = `"testid" =~ /^$testid$/ AND $timeFilter`;
export const LLM = `"testid" =~ /^$testid$/ AND "provider" =~ /^$provider$/ AND "model" =~ /^$model$/ AND $timeFilter`;

export interface InfluxQuery extends cog.Dataquery { refId: string; query: string; rawQuery: true; resultFormat: 'time_series'; alias?: string; datasource: common.DataSourceRef }

/** A raw InfluxQL target. */
export class InfluxQL implements cog.Builder<cog.Dataquery> {
  constructor(private q: string, private ref = 'A', private aliasText?: string) {}
  alias(a: string): this { this.aliasText = a; return this; }
  build(): InfluxQuery {
    return { refId: this.ref, query: this.q, rawQuery: true, resultFormat: 'time_series', datasource: DATASOURCE, ...(this.aliasText ? { alias: this.aliasText } : {}), _implementsDataqueryVariant() {} };
  }
}

/** one template variable, the same for both datasources but its query */
function variable(ds: Datasource, name: string, label: string, query: string): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(DATASOURCES[ds])
    .query(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .includeAll(name !== 'testid')
    .allValue('.*')
    .multi(name !== 'testid')
    .sort(name === 'testid' ? dashboard.VariableSort.AlphabeticalDesc : dashboard.VariableSort.AlphabeticalAsc);
}

export function variables(ds: Datasource): cog.Builder<dashboard.VariableModel>[] {
  // the run, provider, model and — for multi-region runs — the load zone (the shards' `region` tag)
  const prom = ds === 'prometheus';
  const influxTag = (measurement: string, key: string, filter: string) => `SHOW TAG VALUES FROM "${measurement}" WITH KEY = "${key}"${filter ? ` WHERE ${filter}` : ''}`;
  return [
    variable(ds, 'testid', 'Test run', prom ? 'label_values(k6_vus, testid)' : influxTag('vus', 'testid', '')),
    variable(ds, 'provider', 'Provider', prom ? 'label_values(k6_llm_requests_total{testid=~"$testid"}, provider)' : influxTag('llm_requests', 'provider', `"testid" =~ /^$testid$/`)),
    variable(ds, 'model', 'Model', prom ? 'label_values(k6_llm_requests_total{testid=~"$testid", provider=~"$provider"}, model)' : influxTag('llm_requests', 'model', `"testid" =~ /^$testid$/ AND "provider" =~ /^$provider$/`)),
    variable(ds, 'region', 'Zone', prom ? 'label_values(k6_llm_requests_total{testid=~"$testid"}, region)' : influxTag('llm_requests', 'region', `"testid" =~ /^$testid$/`)),
  ];
}

export interface PanelSpec { title: string; description: string; unit: string; queries: Q[]; w?: number; h?: number; threshold?: number; stack?: boolean }

/** A time-series panel; with `threshold`, the line is drawn on the chart (thresholds style). */
export function panel(p: PanelSpec, ds: Datasource): timeseries.PanelBuilder {
  const b = new timeseries.PanelBuilder()
    .title(p.title)
    .description(p.description)
    .datasource(DATASOURCES[ds])
    .unit(p.unit)
    .lineWidth(1)
    .fillOpacity(p.stack ? 40 : 8)
    .legend(new common.VizLegendOptionsBuilder().displayMode(common.LegendDisplayMode.Table).placement(common.LegendPlacement.Bottom).showLegend(true).calcs(['mean', 'max', 'lastNotNull']));
  if (p.stack) b.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (p.threshold !== undefined) {
    b.thresholds(new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([{ value: null, color: 'green' }, { value: p.threshold, color: 'red' }]))
      .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Line));
  }
  const chosen = p.queries.filter((x) => (ds === 'influxdb' ? x.influx : x.prom));
  chosen.forEach((x, i) => {
    if (ds === 'influxdb') b.withTarget(x.influx!);
    else b.withTarget(new prometheus.DataqueryBuilder().refId(String.fromCharCode(65 + i)).datasource(DATASOURCES.prometheus).expr(x.prom!.expr).legendFormat(x.prom!.legend).range());
  });
  return b;
}

/** Lays panels out in a 24-column grid, two per row by default. */
export function layout(db: dashboard.DashboardBuilder, rows: Array<{ title: string; panels: PanelSpec[] }>, ds: Datasource): dashboard.DashboardBuilder {
  let y = 0;
  for (const row of rows) {
    db.withRow(new dashboard.RowBuilder(row.title).gridPos({ x: 0, y: y++, w: 24, h: 1 }));
    let x = 0;
    for (const p of row.panels) {
      const w = p.w ?? 12;
      const h = p.h ?? 8;
      if (x + w > 24) { x = 0; y += h; }
      db.withPanel(panel(p, ds).gridPos({ x, y, w, h }));
      x += w;
    }
    y += 8;
  }
  return db;
}

export function base(uid: string, title: string, description: string, ds: Datasource): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder(ds === 'influxdb' ? title : `${title} (Prometheus)`)
    .uid(ds === 'influxdb' ? uid : uid.replace(/^llmload-/, 'llmload-prom-'))
    .description(description)
    .tags(['llmload', 'llm', 'load-test', ds])
    .refresh('5s')
    .time({ from: 'now-30m', to: 'now' })
    .timezone('browser')
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .variables(variables(ds))
    .link(new dashboard.DashboardLinkBuilder('llmload').type(dashboard.DashboardLinkType.Dashboards).tags(['llmload', ds]).asDropdown(true).includeVars(true).keepTime(true));
}
