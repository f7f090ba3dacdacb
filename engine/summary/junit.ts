// JUnit XML for CI: one testcase per threshold (k6's jUnit helper has the same layout).
import type { SummaryData } from './build.ts';

const esc = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

export function junitXml(d: SummaryData, name = 'llmload thresholds'): string {
  const cases: string[] = [];
  let failures = 0;
  for (const [metric, m] of Object.entries(d.metrics)) {
    for (const [src, t] of Object.entries(m.thresholds ?? {})) {
      const tc = `${metric} ${src}`;
      if (t.ok) cases.push(`    <testcase name="${esc(tc)}" classname="thresholds"/>`);
      else { failures++; cases.push(`    <testcase name="${esc(tc)}" classname="thresholds"><failure message="${esc(`${metric} threshold '${src}' failed`)}">${esc(JSON.stringify(m.values))}</failure></testcase>`); }
    }
  }
  for (const c of flatChecks(d.root_group)) {
    const tc = `check ${c.path}`;
    if (c.fails === 0) cases.push(`    <testcase name="${esc(tc)}" classname="checks"/>`);
    else { failures++; cases.push(`    <testcase name="${esc(tc)}" classname="checks"><failure message="${esc(`${c.fails} of ${c.passes + c.fails} failed`)}"/></testcase>`); }
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="${cases.length}" failures="${failures}" time="${(d.state.testRunDurationMs / 1000).toFixed(3)}">\n  <testsuite name="${esc(name)}" tests="${cases.length}" failures="${failures}">\n${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`;
}

function flatChecks(g: SummaryData['root_group']): Array<{ path: string; passes: number; fails: number }> {
  return [...g.checks, ...g.groups.flatMap(flatChecks)];
}
