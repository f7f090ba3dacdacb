// `import encoding from 'k6/encoding'`: base64 in k6's four variants.
// https://grafana.com/docs/k6/latest/javascript-api/k6-encoding/
type Variant = 'std' | 'rawstd' | 'url' | 'rawurl';
function bytes(input: string | ArrayBuffer | Uint8Array): Buffer {
  if (typeof input === 'string') return Buffer.from(input, 'utf8');
  return Buffer.from(input instanceof Uint8Array ? input : new Uint8Array(input));
}
export function b64encode(input: string | ArrayBuffer | Uint8Array, encoding: Variant = 'std'): string {
  const b = bytes(input);
  switch (encoding) {
    case 'std': return b.toString('base64');
    case 'rawstd': return b.toString('base64').replace(/=+$/, '');
    case 'url': { const s = b.toString('base64url'); return s + '='.repeat((4 - (s.length % 4)) % 4); }
    case 'rawurl': return b.toString('base64url');
    default: throw new Error(`unknown base64 encoding "${encoding}": use std, rawstd, url or rawurl`);
  }
}
export function b64decode(input: string, encoding: Variant = 'std', format?: 's'): string | ArrayBuffer {
  if (!['std', 'rawstd', 'url', 'rawurl'].includes(encoding)) throw new Error(`unknown base64 encoding "${encoding}": use std, rawstd, url or rawurl`);
  const b = Buffer.from(input, encoding === 'url' || encoding === 'rawurl' ? 'base64url' : 'base64');
  if (format === 's') return b.toString('utf8');
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}
export default { b64encode, b64decode };
