/**
 * The software answers core tests compare against: a fixed pseudo-random header, and every
 * nonce of a range whose hash meets a threshold, found with src/work's hasher.
 */
import { NonceHasher } from '../../src/work/nonce-hasher.ts';
import { leadingZeroBits } from '../../src/work/target.ts';

/** A fixed pseudo-random header (xorshift), so every core and every run scans the same work. */
export function randomHeader(seed: number): Uint8Array {
  const h = new Uint8Array(80);
  let x = seed;
  for (let i = 0; i < 80; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    h[i] = x & 0xff;
  }
  return h;
}

/** Every nonce in [first, first+count) whose hash has at least `threshold` leading zero bits. */
export function referenceNonces(header: Uint8Array, first: number, count: number, threshold: number): number[] {
  const hasher = new NonceHasher(header);
  const out = new Uint8Array(32);
  const found: number[] = [];
  for (let n = first; n < first + count; n++) if (leadingZeroBits(hasher.hash(n, out)) >= threshold) found.push(n);
  return found;
}
