/**
 * Version rolling (BIP310 / BIP320): the pool grants a mask of header version bits the miner
 * may change, multiplying the nonce space without touching the coinbase.
 *
 * Pools rebuild the header version from the submitted field in different ways: public-pool
 * uses XOR (`job ^ submitted`), ckpool OR (`job | submitted`), BIP310's text replaces the
 * masked bits (`(job & ~mask) | submitted`); ESP-Miner submits `rolled ^ job`. A job version may
 * already carry bits inside the mask (a BIP9 deployment signalling on bits 13–28, as regtest
 * does from height 144 with `30000000`). Rolling only the mask bits the job has clear, hashing
 * `job | bits` and submitting `(job | bits) ^ job` makes all three readings agree (the replace
 * reading only while the job has no bits in the mask) and never drops a bit the pool set.
 */
import { u32ToHex } from './bytes.ts';
import { InputError } from './errors.ts';

/** The general-purpose bits BIP320 reserves for rolling: 0x1fffe000. */
export const BIP320_MASK = 0x1fffe000;

/** How a pool turns the submitted version field back into the header version. */
export type VersionRule = 'xor' | 'or';
export const VERSION_RULES: readonly VersionRule[] = ['xor', 'or'];

/** The granted bits this job leaves free to roll: those of `mask` clear in its version. */
export function rollableMask(jobVersion: number, mask: number): number {
  return (mask & ~jobVersion) >>> 0;
}

/** The header version for `versionBits` (inside the job's rollable mask): `job | bits`. */
export function rollVersion(jobVersion: number, versionBits: number, mask: number): number {
  const free = rollableMask(jobVersion, mask);
  if ((versionBits & ~free) >>> 0 !== 0) {
    throw new InputError(
      'version-bits',
      `0x${u32ToHex(versionBits)} sets bits outside the rollable mask 0x${u32ToHex(free)} ` +
        `(granted 0x${u32ToHex(mask)}, less the job version's own 0x${u32ToHex(mask & jobVersion)})`,
    );
  }
  return (jobVersion | versionBits) >>> 0;
}

/** The version field to send in mining.submit for a header version: `header ^ job`. */
export function submittedVersionBits(jobVersion: number, headerVersion: number): number {
  return (headerVersion ^ jobVersion) >>> 0;
}

/**
 * The header version a pool rebuilds from a submitted field under `rule`; `submitted` must lie
 * inside the granted `mask` (pools refuse anything else).
 */
export function rebuildVersion(jobVersion: number, submitted: number, mask: number, rule: VersionRule): number {
  if ((submitted & ~mask) >>> 0 !== 0) {
    throw new InputError(
      'version-bits',
      `0x${u32ToHex(submitted)} sets bits outside the version mask 0x${u32ToHex(mask)}`,
    );
  }
  return (rule === 'xor' ? jobVersion ^ submitted : jobVersion | submitted) >>> 0;
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
