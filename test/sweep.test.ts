// Sweeps (issue #32): `llmload sweep` against simulators with a known capacity model — a
// concurrency limit of C slots and a fixed service time S (TTFT + (tokens − 1) × ITL), so
// throughput rises with concurrency and flattens at C ÷ S, TTFT rises past C, and the knee is
// C. Two providers at once (PROVIDERS=a,b) on simulators of different capacity: one chart, two
// curves, the steps where their intervals separate marked; the HTML checked in Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, startSimProcess, tmp, plantedKey, type SimProcess } from './helpers.ts';
import { launch } from './browser.ts';

const TTFT = 100, ITL = 10, TOKENS = 30;
const SERVICE_S = (TTFT + (TOKENS - 1) * ITL) / 1000;

test('sweep over concurrency, two providers of known capacity: throughput flattens at C ÷ S, TTFT rises past the knee, the knee within one step of C; one chart, two curves, separations marked', async () => {
  const caps = { holysheep: 8, openrouter: 4 };
  const sims: SimProcess[] = [];
  for (const c of Object.values(caps)) sims.push(await startSimProcess(['--ttft-ms', String(TTFT), '--itl-ms', String(ITL), '--output-tokens', String(TOKENS), '--concurrency', String(c), '--queue', '10000']));
  const dir = tmp('sweep');
  try {
    const r = await runCli(['sweep', 'test/scenarios/compare.ts', '--concurrency', '2..16', '--step', '3s', '--warmup', '0.5s', '--results-dir', dir, '-q'], {
      env: { PROVIDERS: 'holysheep,openrouter', HOLYSHEEP_API_KEY: plantedKey('hs'), OPENROUTER_API_KEY: plantedKey('or'), HOLYSHEEP_BASE_URL: sims[0]!.url, OPENROUTER_BASE_URL: sims[1]!.url }, timeoutMs: 240_000, summary: false,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /sweep: 4 of 4 steps; holysheep knee at \d+ VUs, openrouter knee at \d+ VUs/);
    const s = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8'));
    assert.deepEqual(s.loads, [2, 4, 8, 16]);
    for (const [p, cap] of Object.entries(caps)) {
      const pts = s.points.filter((x: any) => x.provider === p);
      assert.equal(pts.length, 4, p);
      const capacity = cap / SERVICE_S;
      process.stdout.write(`# ${p}: ${pts.map((x: any) => `${x.load}→${x.rps}/s TTFT ${x.ttft_ms.p50}`).join(', ')} (capacity ${capacity.toFixed(2)}/s)\n`);
      // below capacity throughput follows concurrency ÷ S; at and past it, C ÷ S (within 10 %)
      for (const x of pts) {
        const expect = Math.min(x.load, cap) / SERVICE_S;
        assert.ok(Math.abs(x.rps - expect) <= 0.1 * expect, `${p} at ${x.load}: ${x.rps} req/s vs ${expect.toFixed(2)}`);
        assert.equal(x.error_pct, 0);
      }
      // TTFT rises past the knee (queueing), stays at the server's own before it
      const at = (c: number) => pts.find((x: any) => x.load === c).ttft_ms.p50;
      assert.ok(at(cap) < TTFT * 1.2 && at(cap * 2) > TTFT * 2, `${p}: TTFT ${at(cap)} → ${at(cap * 2)}`);
      if (cap * 4 <= 16) assert.ok(at(cap * 4) > at(cap * 2), `${p}: TTFT ${at(cap * 2)} → ${at(cap * 4)}`);
      // the knee within one step of C (steps double)
      assert.ok(s.knees[p] >= cap / 2 && s.knees[p] <= cap * 2, `${p} knee ${s.knees[p]} vs ${cap}`);
      // TPOT is the server's ITL at every step (decode is not queued)
      for (const x of pts) assert.ok(Math.abs(x.tpot_ms.p50 - ITL) <= 0.05 * ITL, `${p} at ${x.load}: TPOT ${x.tpot_ms.p50}`);
    }
    // from 8 VUs on, the 4-slot server queues and the 8-slot one does not: their TTFTs separate
    const real = s.separations.filter((x: any) => x.real).map((x: any) => x.load);
    for (const l of [8, 16]) assert.ok(real.includes(l), `separated at ${l}: ${JSON.stringify(s.separations)}`);
    // the CSV: one row per provider and step
    const csv = readFileSync(join(dir, 'sweep.csv'), 'utf8').trim().split('\n');
    assert.equal(csv.length, 9);
    assert.match(csv[0]!, /^provider,load,requests,ok,error_pct,rps,/);

    // the HTML in Chromium: both curves on each chart, points with intervals, knees, no network
    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const requests: string[] = [];
      const errors: string[] = [];
      page.on('request', (q) => requests.push(q.url()));
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      await page.goto('file://' + join(dir, 'sweep.html'));
      for (const id of ['curve-throughput', 'curve-latency', 'curve-speed']) {
        const got = await page.evaluate(`(() => {
          const svg = document.getElementById(${JSON.stringify(id)});
          return {
            curves: [...svg.querySelectorAll('path.curve')].map((p) => ({ key: p.getAttribute('data-provider'), len: p.getTotalLength() })),
            points: svg.querySelectorAll('circle.point').length,
            cis: [...svg.querySelectorAll('line.ci')].filter((l) => Math.hypot(l.x2.baseVal.value - l.x1.baseVal.value, l.y2.baseVal.value - l.y1.baseVal.value) >= 0).length,
            knees: svg.querySelectorAll('circle.knee').length,
            separated: svg.querySelectorAll('rect.separated').length,
            xticks: [...svg.querySelectorAll('text.xtick')].map((t) => t.textContent),
            yticks: [...svg.querySelectorAll('text.ytick')].map((t) => t.textContent),
          };
        })()`) as { curves: Array<{ key: string; len: number }>; points: number; cis: number; knees: number; separated: number; xticks: string[]; yticks: string[] };
        assert.deepEqual(got.curves.map((c) => c.key), ['holysheep', 'openrouter'], id);
        assert.ok(got.curves.every((c) => c.len > 50), `${id}: ${JSON.stringify(got.curves)}`);
        assert.equal(got.points, 8, id);
        assert.ok(got.cis >= 8, `${id}: ${got.cis} intervals drawn`);
        assert.equal(got.knees, 2, id);
        assert.ok(got.separated >= 4, `${id}: ${got.separated} separated points marked`);
        assert.equal(new Set(got.xticks).size, 5, `${id} x axis: ${got.xticks}`);
        assert.equal(new Set(got.yticks).size, 5, `${id} y axis: ${got.yticks}`);
      }
      assert.deepEqual(requests.filter((u) => !u.startsWith('file://')), []);
      assert.deepEqual(errors, []);
      await page.screenshot({ path: join(dir, 'sweep.png'), fullPage: true });
    } finally { await browser.close(); }
    // compare over sweep results: this sweep and a second one of the 8-slot server alone, one
    // set of curves; holysheep is in both, so it is a series per sweep
    const dir2 = tmp('sweep2');
    // (an open range: doubling from 4 until throughput stops rising — 8 slots: 4, 8, 16)
    const r2 = await runCli(['sweep', 'test/scenarios/compare.ts', '--concurrency', '4..', '--step', '2s', '--warmup', '0.5s', '--results-dir', dir2, '-q'], {
      env: { PROVIDER: 'holysheep', HOLYSHEEP_API_KEY: plantedKey('hs'), HOLYSHEEP_BASE_URL: sims[0]!.url }, timeoutMs: 120_000, summary: false,
    });
    assert.equal(r2.code, 0, r2.stderr);
    assert.deepEqual(JSON.parse(readFileSync(join(dir2, 'sweep.json'), 'utf8')).loads, [4, 8, 16], 'stopped once saturated');
    const both = await runCli(['compare', dir, dir2, '--label', 'first', '--label', 'second', '--format', 'json'], { summary: false });
    assert.equal(both.code, 0, both.stderr);
    const c = JSON.parse(both.stdout);
    assert.deepEqual([...new Set(c.points.map((x: any) => x.provider))].sort(), ['holysheep @ first', 'holysheep @ second', 'openrouter']);
    assert.deepEqual(c.loads, [2, 4, 8, 16]);
    const one = await runCli(['compare', dir], { summary: false });
    assert.match(one.stdout, /The difference is real \(\* : its interval excludes 0\) at [\d, ]*8, 16 VUs\./);
    const mixed = await runCli(['compare', dir, tmp('not-a-sweep')], { summary: false });
    assert.equal(mixed.code, 104);
    assert.match(mixed.stderr, /not sweep results; compare sweeps with sweeps/);
  } finally { for (const x of sims) await x.stop(); }
});

test('sweep: bad input is one line, exit 104', async () => {
  for (const [args, re] of [
    [['--concurrency', '4,2'], /invalid --concurrency "4,2": loads must rise \(4 then 2\)/],
    [[], /give one of --concurrency LOADS or --rate LOADS/],
    [['--rate', '1,2', '--concurrency', '1'], /give one of --concurrency LOADS or --rate LOADS/],
    [['--rate', '1,2', '--step', '2s', '--warmup', '2s'], /--warmup 2s leaves no steady window in a 2s step/],
  ] as Array<[string[], RegExp]>) {
    const r = await runCli(['sweep', 'test/scenarios/compare.ts', ...args], { summary: false, timeoutMs: 30_000 });
    assert.equal(r.code, 104, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});
