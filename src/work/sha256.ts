/**
 * SHA-256 (FIPS 180-4) with the compression function and state exposed, because mining needs
 * what a hashing library hides: the midstate after the first 64 header bytes, and a second
 * block that differs only in the nonce. Plain 32-bit integer arithmetic, no allocation per
 * block, so it runs the same on XS and Node.
 */

export const SHA256_IV: Readonly<Uint32Array> = Uint32Array.of(
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
);

export const SHA256_K: Readonly<Uint32Array> = Uint32Array.of(
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
);

/**
 * The message schedule, shared by every compression. Made on first use, not at module load:
 * the firmware's modules are preloaded into flash, where a buffer made at load is read-only.
 */
let schedule: Uint32Array | undefined;
const scratch = (): Uint32Array => schedule ?? (schedule = new Uint32Array(64));

/**
 * Compresses the 16 big-endian message words in `W[0..15]` into `state`.
 */
function compressScheduled(state: Uint32Array, W: Uint32Array): void {
  for (let t = 16; t < 64; t++) {
    const w15 = W[t - 15]!;
    const w2 = W[t - 2]!;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[t] = (W[t - 16]! + s0 + W[t - 7]! + s1) | 0;
  }
  let a = state[0]!, b = state[1]!, c = state[2]!, d = state[3]!;
  let e = state[4]!, f = state[5]!, g = state[6]!, h = state[7]!;
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + SHA256_K[t]! + W[t]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

/** The SHA-256 compression function: one 64-byte block at `offset` of `block` into `state`. */
export function compress(state: Uint32Array, block: Uint8Array, offset = 0): void {
  const W = scratch();
  for (let i = 0; i < 16; i++) {
    const o = offset + 4 * i;
    W[i] = (block[o]! << 24) | (block[o + 1]! << 16) | (block[o + 2]! << 8) | block[o + 3]!;
  }
  compressScheduled(state, W);
}

/** Compresses 16 message words (already big-endian values) into `state`. */
export function compressWords(state: Uint32Array, words: ArrayLike<number>): void {
  const W = scratch();
  for (let i = 0; i < 16; i++) W[i] = words[i]!;
  compressScheduled(state, W);
}

/** A fresh copy of the initial hash value. */
export function initialState(): Uint32Array {
  return Uint32Array.from(SHA256_IV);
}

/** The 32-byte digest of a state: each word big-endian, word 0 first. */
export function stateToBytes(state: Uint32Array, out: Uint8Array = new Uint8Array(32)): Uint8Array {
  for (let i = 0; i < 8; i++) {
    const v = state[i]!;
    out[4 * i] = v >>> 24;
    out[4 * i + 1] = (v >>> 16) & 0xff;
    out[4 * i + 2] = (v >>> 8) & 0xff;
    out[4 * i + 3] = v & 0xff;
  }
  return out;
}

/** SHA-256 of a whole message. */
export function sha256(data: Uint8Array): Uint8Array {
  const state = initialState();
  const full = data.length - (data.length % 64);
  for (let at = 0; at < full; at += 64) compress(state, data, at);
  // Padding: 0x80, zeros, then the bit length as a 64-bit big-endian integer.
  const rest = data.length - full;
  const tail = new Uint8Array(rest < 56 ? 64 : 128);
  tail.set(data.subarray(full));
  tail[rest] = 0x80;
  const bits = data.length * 8;
  const hi = Math.floor(bits / 0x100000000);
  const at = tail.length - 8;
  tail[at] = hi >>> 24;
  tail[at + 1] = (hi >>> 16) & 0xff;
  tail[at + 2] = (hi >>> 8) & 0xff;
  tail[at + 3] = hi & 0xff;
  tail[at + 4] = bits >>> 24;
  tail[at + 5] = (bits >>> 16) & 0xff;
  tail[at + 6] = (bits >>> 8) & 0xff;
  tail[at + 7] = bits & 0xff;
  compress(state, tail, 0);
  if (tail.length === 128) compress(state, tail, 64);
  return stateToBytes(state);
}

/** SHA-256d: SHA-256 applied twice, Bitcoin's hash for headers, txids and merkle nodes. */
export function sha256d(data: Uint8Array): Uint8Array {
  return sha256(sha256(data));
}

/**
 * The midstate: the SHA-256 state after compressing the first 64 bytes of a block header.
 * It is the same for every nonce, so a miner computes it once per work unit.
 */
export function midstate(header: Uint8Array): Uint32Array {
  if (header.length < 64) throw new RangeError('midstate needs at least 64 header bytes');
  const state = initialState();
  compress(state, header, 0);
  return state;
}
