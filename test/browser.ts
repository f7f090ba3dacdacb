// Headless Chromium (Debian's package) through playwright-core, for report tests.
import { chromium, type Browser } from 'playwright-core';
import { existsSync } from 'node:fs';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ?? '/usr/bin/chromium';

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

export interface PageCheck {
  consoleErrors: string[]; requests: string[]; charts: Array<{ id: string; series: number; points: number; nonNull: number[] }>; title: string;
  /** headline cards whose content is wider or taller than the card shows */
  overflowing: string[];
  /** the report's charts: each series' label and whether it draws across gaps */
  series: Array<{ id: string; series: Array<{ label: string; spanGaps: boolean }> }>;
  kpis: string[];
}

/** Opens a local HTML file, records console errors and every request, screenshots it. */
export async function inspectPage(file: string, screenshot: string, width = 1400): Promise<PageCheck> {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const consoleErrors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto('file://' + file, { waitUntil: 'load' });
    await page.waitForTimeout(300);
    const charts = await page.evaluate(() => (window as unknown as { __llmloadReport: { charts: PageCheck['charts'] } }).__llmloadReport.charts);
    const layout = await page.evaluate(`(() => {
      const over = [];
      for (const k of document.querySelectorAll('.kpi')) {
        const v = k.querySelector('.kpi-value');
        const label = (k.querySelector('.kpi-label') || {}).textContent || '';
        // content wider than the card, or a value drawn past the card's right edge
        if (k.scrollWidth > k.clientWidth + 1 || (v && v.getBoundingClientRect().right > k.getBoundingClientRect().right + 1)) over.push(label);
        for (const p of k.querySelectorAll('.part')) if (p.getBoundingClientRect().right > k.getBoundingClientRect().right + 1) over.push(label + ' (part)');
      }
      return { over, kpis: [...document.querySelectorAll('.kpi-label')].map((e) => e.textContent), series: window.__llmloadReport.series ? window.__llmloadReport.series() : [] };
    })()`) as { over: string[]; kpis: string[]; series: PageCheck['series'] };
    await page.screenshot({ path: screenshot, fullPage: true });
    return { consoleErrors, requests, charts, title: await page.title(), overflowing: layout.over, series: layout.series, kpis: layout.kpis };
  } finally { await browser.close(); }
}

export interface ReportFigures { kpis: Record<string, { value: string; sub: string }>; tables: Record<string, { head: string[]; rows: string[][] }>; axes: Array<{ id: string; axes: string[][] }> }

/** What a reader of the report sees: the headline figures, every table's cells (by section
 *  title) and the tick labels uPlot drew on each chart's axes. */
export async function reportFigures(file: string): Promise<ReportFigures> {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await page.goto('file://' + file, { waitUntil: 'load' });
    await page.waitForTimeout(300);
    // a string, not a function: tsx compiles named inner functions with a __name helper that
    // does not exist in the page
    return await page.evaluate(`(() => {
      const txt = (e) => ((e && e.textContent) || '').trim();
      const kpis = {};
      for (const k of document.querySelectorAll('.kpi')) kpis[txt(k.querySelector('.kpi-label'))] = { value: txt(k.querySelector('.kpi-value')), sub: txt(k.querySelector('.kpi-sub')) };
      const tables = {};
      for (const t of document.querySelectorAll('section table')) {
        const title = txt(t.closest('section').querySelector('h2'));
        tables[title] = { head: [...t.querySelectorAll('thead th')].map(txt), rows: [...t.querySelectorAll('tbody tr')].map((r) => [...r.querySelectorAll('td')].map(txt)) };
      }
      return { kpis, tables, axes: window.__llmloadReport.axisLabels() };
    })()`) as ReportFigures;
  } finally { await browser.close(); }
}
