// `import crypto from 'k6/crypto'`: hashes, HMAC and random bytes on node:crypto.
// https://grafana.com/docs/k6/latest/javascript-api/k6-crypto/
import { createHash as nodeCreateHash, createHmac as nodeHmac, randomBytes as nodeRandom } from 'node:crypto';
import { Md4 } from './md4.ts';

// md4: our RFC 1320 implementation (./md4.ts); OpenSSL 3 keeps it in its legacy provider
const nodeHash = (a: string): { update(d: Buffer): unknown; digest(): Buffer } => (a === 'md4' ? new Md4() : nodeCreateHash(a));
/** HMAC (RFC 2104) over our MD4: 64-byte blocks */
function md4Hmac(key: Buffer): { update(d: Buffer): unknown; digest(): Buffer } {
  const k = Buffer.alloc(64);
  (key.length > 64 ? new Md4().update(key).digest() : key).copy(k);
  const inner = new Md4().update(Buffer.from(k.map((b) => b ^ 0x36)));
  return { update: (d: Buffer) => inner.update(d), digest: () => new Md4().update(Buffer.from(k.map((b) => b ^ 0x5c))).update(inner.digest()).digest() };
}
const nodeHmacOf = (a: string, key: Buffer): { update(d: Buffer): unknown; digest(): Buffer } => (a === 'md4' ? md4Hmac(key) : nodeHmac(a, key));

type Input = string | ArrayBuffer | Uint8Array;
type Out = 'hex' | 'base64' | 'base64url' | 'base64rawurl' | 'binary';
const ALGOS: Record<string, string> = { md4: 'md4', md5: 'md5', sha1: 'sha1', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512', sha512_224: 'sha512-224', sha512_256: 'sha512-256', ripemd160: 'ripemd160' };
function algo(a: string): string {
  const n = ALGOS[a];
  if (!n) throw new Error(`unknown hash algorithm "${a}": use one of ${Object.keys(ALGOS).join(', ')}`);
  return n;
}
function data(i: Input): Buffer { return typeof i === 'string' ? Buffer.from(i, 'utf8') : Buffer.from(i instanceof Uint8Array ? i : new Uint8Array(i)); }
function out(b: Buffer, enc: Out): string | ArrayBuffer {
  switch (enc) {
    case 'hex': return b.toString('hex');
    case 'base64': return b.toString('base64');
    case 'base64url': { const s = b.toString('base64url'); return s + '='.repeat((4 - (s.length % 4)) % 4); }
    case 'base64rawurl': return b.toString('base64url');
    case 'binary': return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    default: throw new Error(`unknown output encoding "${enc}": use hex, base64, base64url, base64rawurl or binary`);
  }
}
class Hasher {
  constructor(private h: { update(d: Buffer): unknown; digest(): Buffer }) {}
  update(d: Input): void { this.h.update(data(d)); }
  digest(enc: Out = 'hex'): string | ArrayBuffer { return out(this.h.digest(), enc); }
}
export const createHash = (a: string) => new Hasher(nodeHash(algo(a)));
export const createHMAC = (a: string, secret: Input) => new Hasher(nodeHmacOf(algo(a), data(secret)));
export const hmac = (a: string, secret: Input, d: Input, enc: Out) => { const h = nodeHmacOf(algo(a), data(secret)); h.update(data(d)); return out(h.digest(), enc); };
const hashOf = (a: string) => (d: Input, enc: Out) => { const h = nodeHash(algo(a)); h.update(data(d)); return out(h.digest(), enc); };
export const md4 = hashOf('md4'), md5 = hashOf('md5'), sha1 = hashOf('sha1'), sha256 = hashOf('sha256'), sha384 = hashOf('sha384'), sha512 = hashOf('sha512'), sha512_224 = hashOf('sha512_224'), sha512_256 = hashOf('sha512_256'), ripemd160 = hashOf('ripemd160');
export function randomBytes(n: number): ArrayBuffer { const b = nodeRandom(n); return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer; }
export default { createHash, createHMAC, hmac, md4, md5, sha1, sha256, sha384, sha512, sha512_224, sha512_256, ripemd160, randomBytes };
