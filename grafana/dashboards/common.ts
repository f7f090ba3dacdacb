// Shared pieces of the llmload dashboards (dashboards as code with grafana-foundation-sdk).
// The SDK has no InfluxDB query builder, so InfluxQL targets implement cog.Builder here.
import * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import * as common from '@grafana/grafana-foundation-sdk/common';

export const DATASOURCE: common.DataSourceRef = { type: 'influxdb', uid: 'llmload-influxdb' };

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

export function variables(): cog.Builder<dashboard.VariableModel>[] {
  const tagVar = (name: string, label: string, measurement: string, filter: string) => new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(DATASOURCE)
    .query(`SHOW TAG VALUES FROM "${measurement}" WITH KEY = "${name}"${filter ? ` WHERE ${filter}` : ''}`)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .includeAll(name !== 'testid')
    .allValue('.*')
    .multi(name !== 'testid')
    .sort(name === 'testid' ? dashboard.VariableSort.AlphabeticalDesc : dashboard.VariableSort.AlphabeticalAsc);
  return [
    tagVar('testid', 'Test run', 'vus', ''),
    tagVar('provider', 'Provider', 'llm_requests', `"testid" =~ /^$testid$/`),
    tagVar('model', 'Model', 'llm_requests', `"testid" =~ /^$testid$/ AND "provider" =~ /^$provider$/`),
  ];
}

export interface PanelSpec { title: string; description: string; unit: string; queries: InfluxQL[]; w?: number; h?: number; threshold?: number; stack?: boolean }

/** A time-series panel; with `threshold`, the line is drawn on the chart (thresholds style). */
export function panel(p: PanelSpec): timeseries.PanelBuilder {
  const b = new timeseries.PanelBuilder()
    .title(p.title)
    .description(p.description)
    .datasource(DATASOURCE)
    .unit(p.unit)
    .lineWidth(1)
    .fillOpacity(p.stack ? 40 : 8)
    .legend(new common.VizLegendOptionsBuilder().displayMode(common.LegendDisplayMode.Table).placement(common.LegendPlacement.Bottom).showLegend(true).calcs(['mean', 'max', 'lastNotNull']));
  if (p.stack) b.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (p.threshold !== undefined) {
    b.thresholds(new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([{ value: null, color: 'green' }, { value: p.threshold, color: 'red' }]))
      .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Line));
  }
  for (const q of p.queries) b.withTarget(q);
  return b;
}

/** Lays panels out in a 24-column grid, two per row by default. */
export function layout(db: dashboard.DashboardBuilder, rows: Array<{ title: string; panels: PanelSpec[] }>): dashboard.DashboardBuilder {
  let y = 0;
  for (const row of rows) {
    db.withRow(new dashboard.RowBuilder(row.title).gridPos({ x: 0, y: y++, w: 24, h: 1 }));
    let x = 0;
    for (const p of row.panels) {
      const w = p.w ?? 12;
      const h = p.h ?? 8;
      if (x + w > 24) { x = 0; y += h; }
      db.withPanel(panel(p).gridPos({ x, y, w, h }));
      x += w;
    }
    y += 8;
  }
  return db;
}

export function base(uid: string, title: string, description: string): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(['llmload', 'llm', 'load-test'])
    .refresh('5s')
    .time({ from: 'now-30m', to: 'now' })
    .timezone('browser')
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .variables(variables())
    .link(new dashboard.DashboardLinkBuilder('llmload').type(dashboard.DashboardLinkType.Dashboards).tags(['llmload']).asDropdown(true).includeVars(true).keepTime(true));
}
