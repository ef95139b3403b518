/**
 * Version rolling (BIP310 / BIP320): the pool grants a mask of header version bits the miner
 * may change, multiplying the nonce space without touching the coinbase.
 */
import { u32ToHex } from './bytes.ts';
import { InputError } from './errors.ts';

/** The general-purpose bits BIP320 reserves for rolling: 0x1fffe000. */
export const BIP320_MASK = 0x1fffe000;

/** The header version for `versionBits` under `mask`: (job & ~mask) | (bits & mask). */
export function rollVersion(jobVersion: number, versionBits: number, mask: number): number {
  if ((versionBits & ~mask) >>> 0 !== 0) {
    throw new InputError(
      'version-bits',
      `0x${u32ToHex(versionBits)} sets bits outside the version mask 0x${u32ToHex(mask)}`,
    );
  }
  return ((jobVersion & ~mask) | (versionBits & mask)) >>> 0;
}

/** The number of distinct versions a mask allows (2^popcount). */
export function versionSpace(mask: number): number {
  let n = 0;
  for (let m = mask >>> 0; m !== 0; m &= m - 1) n++;
  return 2 ** n;
}

/**
 * The `index`-th setting of the masked bits (index's bits deposited into the mask's set bits,
 * low to high), so a counter 0, 1, 2 … enumerates every allowed version exactly once.
 */
export function versionBitsAt(index: number, mask: number): number {
  let bits = 0;
  let i = index;
  for (let bit = 0; bit < 32 && i > 0; bit++) {
    const b = 2 ** bit;
    if ((mask >>> 0) & b) {
      if (i & 1) bits |= b;
      i = Math.floor(i / 2);
    }
  }
  return bits >>> 0;
}
