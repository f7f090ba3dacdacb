// Secrets never leave the process: any value of an env var that looks like a credential
// is replaced before text reaches a log, a summary or a file. (Keys are only ever sent in
// their request header; this is the net under everything else.) The CLI registers the run's
// whole environment, `-e KEY=…` included, so error paths that know no env redact those too.
import { Transform, type TransformCallback } from 'node:stream';

const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|AUTH)/i;
const registered = new Set<string>();

export function secretValues(env: Record<string, string | undefined>): string[] {
  const out = Object.entries(env).filter(([k, v]) => SECRET_NAME.test(k) && typeof v === 'string' && v.length >= 6).map(([, v]) => v!);
  // a proxy URL's password (HTTPS_PROXY=http://user:pass@host:3128), raw and decoded
  for (const [k, v] of Object.entries(env)) {
    if (!/_proxy$/i.test(k) || !v) continue;
    const m = /^[a-z][a-z0-9+.-]*:\/\/[^:@/]*:([^@/]+)@/i.exec(v.trim());
    if (!m) continue;
    out.push(`:${m[1]}@`);
    try { const d = decodeURIComponent(m[1]!); if (d.length >= 4) out.push(d); } catch { /* not %-encoded */ }
    if (m[1]!.length >= 4) out.push(m[1]!);
  }
  return out;
}

/** values every later redact() hides, whatever env it is given (the CLI calls it with -e's) */
export function registerSecrets(env: Record<string, string | undefined>): void {
  for (const v of secretValues(env)) registered.add(v);
}

export function redact(s: string, env: Record<string, string | undefined> = process.env): string {
  let out = s;
  for (const v of secretValues(env)) if (out.includes(v)) out = out.split(v).join('[REDACTED]');
  for (const v of registered) if (out.includes(v)) out = out.split(v).join('[REDACTED]');
  return out;
}

/** A line-buffered redacting stream: threads' console output passes through it (a secret split
 *  between two writes is whole again within its line). */
export function redactingLines(env: Record<string, string | undefined>): Transform {
  let pending = '';
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      pending += chunk.toString('utf8');
      const i = pending.lastIndexOf('\n');
      if (i < 0) return cb();
      const whole = pending.slice(0, i + 1);
      pending = pending.slice(i + 1);
      cb(null, redact(whole, env));
    },
    flush(cb: TransformCallback) { cb(null, pending ? redact(pending, env) : undefined); pending = ''; },
  });
}
