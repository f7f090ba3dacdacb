// MD4 (RFC 1320) for k6/crypto's `md4`: Node 20's OpenSSL 3 keeps MD4 in its legacy provider,
// so node:crypto throws "digital envelope routines::unsupported" for it. The algorithm is
// frozen since 1992; md4.test.ts checks the RFC's own test suite (appendix A.5). Incremental
// (update/digest) so createHash('md4') streams like the other algorithms.

const S = [[3, 7, 11, 19], [3, 5, 9, 13], [3, 9, 11, 15]] as const;
const rotl = (x: number, n: number) => (x << n) | (x >>> (32 - n));

export class Md4 {
  private h = new Int32Array([0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476]);
  private buf = Buffer.alloc(64);
  private fill = 0;
  private bytes = 0;
  private x = new Int32Array(16);

  update(d: Buffer): this {
    this.bytes += d.length;
    let i = 0;
    while (i < d.length) {
      const n = Math.min(64 - this.fill, d.length - i);
      d.copy(this.buf, this.fill, i, i + n);
      this.fill += n;
      i += n;
      if (this.fill === 64) { this.block(this.buf); this.fill = 0; }
    }
    return this;
  }

  digest(): Buffer {
    const bits = this.bytes * 8;
    const pad = Buffer.alloc(((this.fill < 56 ? 56 : 120) - this.fill) + 8);
    pad[0] = 0x80;
    pad.writeUInt32LE(bits >>> 0, pad.length - 8);
    pad.writeUInt32LE(Math.floor(bits / 2 ** 32) >>> 0, pad.length - 4);
    this.update(pad);
    const out = Buffer.alloc(16);
    for (let i = 0; i < 4; i++) out.writeInt32LE(this.h[i]!, i * 4);
    return out;
  }

  private block(b: Buffer): void {
    const x = this.x;
    for (let i = 0; i < 16; i++) x[i] = b.readInt32LE(i * 4);
    let [a, bb, c, d] = this.h as unknown as [number, number, number, number];
    const F = (p: number, q: number, r: number) => (p & q) | (~p & r);
    const G = (p: number, q: number, r: number) => (p & q) | (p & r) | (q & r);
    const H = (p: number, q: number, r: number) => p ^ q ^ r;
    // round 1: k in order; round 2: columns (0,4,8,12,…) + √2; round 3: bit-reversed order + √3
    for (let i = 0; i < 16; i++) {
      const t = rotl((a + F(bb, c, d) + x[i]!) | 0, S[0][i % 4]!);
      a = d; d = c; c = bb; bb = t;
    }
    for (let i = 0; i < 16; i++) {
      const k = (i % 4) * 4 + Math.floor(i / 4);
      const t = rotl((a + G(bb, c, d) + x[k]! + 0x5a827999) | 0, S[1][i % 4]!);
      a = d; d = c; c = bb; bb = t;
    }
    const R3 = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15];
    for (let i = 0; i < 16; i++) {
      const t = rotl((a + H(bb, c, d) + x[R3[i]!]! + 0x6ed9eba1) | 0, S[2][i % 4]!);
      a = d; d = c; c = bb; bb = t;
    }
    const h = this.h;
    h[0] = (h[0]! + a) | 0; h[1] = (h[1]! + bb) | 0; h[2] = (h[2]! + c) | 0; h[3] = (h[3]! + d) | 0;
  }
}
