// Headless Chromium (Debian's package) through playwright-core, for report tests.
import { chromium, type Browser } from 'playwright-core';
import { existsSync } from 'node:fs';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ?? '/usr/bin/chromium';

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

export interface PageCheck { consoleErrors: string[]; requests: string[]; charts: Array<{ id: string; series: number; points: number; nonNull: number[] }>; title: string }

/** Opens a local HTML file, records console errors and every request, screenshots it. */
export async function inspectPage(file: string, screenshot: string): Promise<PageCheck> {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    const consoleErrors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto('file://' + file, { waitUntil: 'load' });
    await page.waitForTimeout(300);
    const charts = await page.evaluate(() => (window as unknown as { __llmloadReport: { charts: PageCheck['charts'] } }).__llmloadReport.charts);
    await page.screenshot({ path: screenshot, fullPage: true });
    return { consoleErrors, requests, charts, title: await page.title() };
  } finally { await browser.close(); }
}
