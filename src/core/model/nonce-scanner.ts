/**
 * The behavioural model's hashing: the same nonce test the RTL engines apply (docs/
 * core-protocol.md: report when the hash has at least `threshold` leading zero bits), done as
 * fast as plain JavaScript allows — per-work precomputation here, the unrolled per-nonce loop
 * in nonce-scanner.generated.ts.
 */
import { SHA256_K } from '../../work/sha256.ts';
import { scanNonces } from './nonce-scanner.generated.ts';

/** Per-work constants for `scanNonces` (layout fixed by the generator). */
export type ScanWork = Int32Array;

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/** Precomputes everything about a work that does not depend on the nonce. */
export function prepareScan(midstate: ArrayLike<number>, tail: ArrayLike<number>, out: ScanWork = new Int32Array(22)): ScanWork {
  for (let i = 0; i < 3; i++) out[i] = tail[i]! | 0;
  for (let i = 0; i < 8; i++) out[3 + i] = midstate[i]! | 0;
  // Rounds 0–2 of hash 1 see only W0–W2 (the tail): run them once per work.
  let a = midstate[0]! | 0, b = midstate[1]! | 0, c = midstate[2]! | 0, d = midstate[3]! | 0;
  let e = midstate[4]! | 0, f = midstate[5]! | 0, g = midstate[6]! | 0, h = midstate[7]! | 0;
  for (let t = 0; t < 3; t++) {
    const S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
    const t1 = (h + S1 + (g ^ (e & (f ^ g))) + SHA256_K[t]! + (tail[t]! | 0)) | 0;
    const S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
    const t2 = (S0 + ((a & b) | (c & (a | b)))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  out[11] = a; out[12] = b; out[13] = c; out[14] = d; out[15] = e; out[16] = f; out[17] = g; out[18] = h;
  // W16 = σ1(W14) + W9 + σ0(W1) + W0 and W17 = σ1(W15) + W10 + σ0(W2) + W1, with W9,W10,W14 = 0, W15 = 640.
  const s0 = (x: number): number => rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3);
  const s1 = (x: number): number => rotr(x, 17) ^ rotr(x, 19) ^ (x >>> 10);
  out[19] = (s0(tail[1]! | 0) + (tail[0]! | 0)) | 0;
  out[20] = (s1(640) + s0(tail[2]! | 0) + (tail[1]! | 0)) | 0;
  out[21] = 0;
  return out;
}

/** The mask of the top `threshold` bits of the hash's top word (threshold 1..32). */
export function thresholdMask(threshold: number): number {
  return threshold >= 32 ? -1 : ~(0xffffffff >>> threshold) | 0;
}

/**
 * Hashes nonces `first`, `first + 1`, … (`count` of them, never past 0xffffffff), storing each
 * one that meets `mask` in `hits`; stops early once `hits` is full. Returns how many nonces
 * were hashed; `lastHitCount(work)` says how many hits were stored.
 */
export function scan(work: ScanWork, first: number, count: number, mask: number, hits: Uint32Array): number {
  if (count <= 0 || hits.length === 0) { work[21] = 0; return 0; }
  return scanNonces(work, first, count, mask, hits);
}

export function lastHitCount(work: ScanWork): number {
  return work[21]!;
}
