// Secrets never leave the process: any value of an env var that looks like a credential
// is replaced before text reaches a log, a summary or a file. (Keys are only ever sent in
// their request header; this is the net under everything else.)
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|AUTH)/i;

export function secretValues(env: Record<string, string | undefined>): string[] {
  return Object.entries(env).filter(([k, v]) => SECRET_NAME.test(k) && typeof v === 'string' && v.length >= 6).map(([, v]) => v!);
}

export function redact(s: string, env: Record<string, string | undefined> = process.env): string {
  let out = s;
  for (const v of secretValues(env)) if (out.includes(v)) out = out.split(v).join('[REDACTED]');
  return out;
}
