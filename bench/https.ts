// HTTPS against plain HTTP (issue #28), as the whole-process rows measure: `llmload run` on the
// closed loop (STREAMS VUs, one chat completion after another; the simulator sends 100 tokens
// 10 ms apart after 100 ms), per HTTP client, once over plain HTTP and once over HTTPS (the
// simulator serving TLS with a certificate made here, the client trusting it with --tls-ca).
// CPU per streamed event and TTFT error against the simulator's ground truth, in one run, so
// the two schemes and the two readers compare within it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimProcess } from '../test/helpers.ts';
import { cli, loopArgs, loopRow, LOOP_HEADER } from './whole.ts';

export async function httpsBench(seconds = Number(process.env.HTTPS_SECONDS ?? 15), levels = (process.env.HTTPS_STREAMS ?? '20,100').split(',').map(Number)): Promise<string[]> {
  const rows = [...LOOP_HEADER];
  rows[0] = rows[0]!.replace('| streams |', '| streams, scheme |');
  const dir = mkdtempSync(join(tmpdir(), 'llmload-https-'));
  const key = join(dir, 'key.pem'), cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  for (const streams of levels) for (const scheme of ['http', 'https'] as const) {
    const gt = join(dir, `gt-${streams}-${scheme}.jsonl`);
    const tlsArgs = scheme === 'https' ? ['--tls-cert', cert, '--tls-key', key] : [];
    const sim = await startSimProcess(['--ttft-ms', '100', '--itl-ms', '10', '--output-tokens', '100', '--ground-truth', gt, ...tlsArgs]);
    const extra = scheme === 'https' ? `--tls-ca ${cert}` : '';
    try {
      cli(`${loopArgs(sim.url, 1, 'llmload', streams, 3, join(dir, `warm-${streams}-${scheme}`))} ${extra}`); // a warm simulator (bench/whole.ts)
      for (const client of ['llmload', 'undici']) rows.push(await loopRow({ simUrl: sim.url, gt, dir, client, workers: 1, streams, seconds, label: `${streams}, ${scheme}`, extra }));
    } finally { await sim.stop(); }
  }
  rows.push('', `Command: \`make perf ONLY=https\` (HTTPS_SECONDS, HTTPS_STREAMS=20,100 to change): the CLI on test/scenarios/closed-loop.ts for ${seconds} s, 1 worker thread, against \`llmload sim\` serving plain HTTP, then HTTPS (RSA 2048, TLS 1.3, --tls-ca), each warmed first; the simulator on the same cores in its own process. Targets (issue #28): the TTFT error median over HTTPS within 0.2 ms of the plain one; the faster reader over HTTPS is chat()'s default for https: targets.`);
  return rows;
}
