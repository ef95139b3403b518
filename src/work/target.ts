/**
 * Targets and difficulty. A target is 32 bytes, big-endian (the order block explorers print);
 * a hash is the 32 bytes SHA-256d returns, which Bitcoin reads as a little-endian number.
 * A hash meets a target when hash ≤ target.
 */
import { bytesToHex, u32ToHex } from './bytes.ts';
import { InputError } from './errors.ts';

/** Difficulty 1: 0x00000000FFFF << 208 (the "pdiff" convention every pool uses). */
export const DIFF1_TARGET: Uint8Array = (() => {
  const t = new Uint8Array(32);
  t[4] = 0xff;
  t[5] = 0xff;
  return t;
})();

const DIFF1 = 0xffff * 2 ** 208;
const DIFF1_BIG = 0xffffn << 208n;
const MAX_TARGET_BIG = (1n << 256n) - 1n;

/**
 * Expands compact nbits (as the header and Stratum carry it) into a target.
 * Refuses the encodings Bitcoin treats as invalid: negative, or overflowing 256 bits.
 */
export function nbitsToTarget(nbits: number): Uint8Array {
  const exponent = nbits >>> 24;
  const mantissa = nbits & 0x007fffff;
  if (nbits & 0x00800000 && mantissa !== 0) throw new InputError('nbits', `negative target (0x${u32ToHex(nbits)})`);
  const target = new Uint8Array(32);
  if (mantissa === 0) return target;
  // Mantissa bytes land at big-endian positions (32 - exponent) .. (34 - exponent).
  const bytes = [(mantissa >>> 16) & 0xff, (mantissa >>> 8) & 0xff, mantissa & 0xff];
  for (let i = 0; i < 3; i++) {
    const at = 32 - exponent + i;
    const b = bytes[i]!;
    if (at < 0) {
      if (b !== 0) throw new InputError('nbits', `target overflows 256 bits (0x${u32ToHex(nbits)})`);
    } else if (at < 32) {
      target[at] = b;
    }
  }
  return target;
}

/** Compact nbits for a target (the smallest encoding Bitcoin Core would produce). */
export function targetToNbits(target: Uint8Array): number {
  let first = 0;
  while (first < 32 && target[first] === 0) first++;
  if (first === 32) return 0;
  let size = 32 - first;
  let mantissa = (target[first]! << 16) | ((target[first + 1] ?? 0) << 8) | (target[first + 2] ?? 0);
  if (mantissa & 0x00800000) {
    mantissa >>>= 8;
    size += 1;
  }
  return ((size << 24) | mantissa) >>> 0;
}

/** True when `hash` (SHA-256d output, little-endian number) is at or below `target`. */
export function hashMeetsTarget(hash: Uint8Array, target: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) {
    const h = hash[31 - i]!;
    const t = target[i]!;
    if (h !== t) return h < t;
  }
  return true;
}

/** The value of a hash (little-endian bytes) as a float. */
function hashValue(hash: Uint8Array): number {
  let v = 0;
  for (let i = 31; i >= 0; i--) v = v * 256 + hash[i]!;
  return v;
}

/** The value of a big-endian target as a float. */
function targetValue(target: Uint8Array): number {
  let v = 0;
  for (let i = 0; i < 32; i++) v = v * 256 + target[i]!;
  return v;
}

/**
 * The share difficulty a hash achieves: diff1 / hash. A float is exact to ~15 significant
 * digits, which ranks "best difficulty" correctly; the all-zero hash is Infinity.
 */
export function hashToDifficulty(hash: Uint8Array): number {
  return DIFF1 / hashValue(hash);
}

/** Difficulty of a target: diff1 / target (network difficulty when the target comes from nbits). */
export function targetToDifficulty(target: Uint8Array): number {
  return DIFF1 / targetValue(target);
}

export function nbitsToDifficulty(nbits: number): number {
  return targetToDifficulty(nbitsToTarget(nbits));
}

/**
 * The share target for a pool difficulty: floor(diff1 / difficulty), computed exactly
 * (a double is an exact fraction m·2^e, so fractional difficulties such as 0.001 are exact too).
 * Clamped to the largest 256-bit value for very small difficulties.
 */
export function difficultyToTarget(difficulty: number): Uint8Array {
  if (typeof difficulty !== 'number' || !Number.isFinite(difficulty) || difficulty <= 0) {
    throw new InputError('difficulty', `must be a finite number above 0, got ${String(difficulty)}`);
  }
  const { mantissa, exponent } = splitDouble(difficulty);
  let t = exponent >= 0 ? DIFF1_BIG / (mantissa << BigInt(exponent)) : (DIFF1_BIG << BigInt(-exponent)) / mantissa;
  if (t > MAX_TARGET_BIG) t = MAX_TARGET_BIG;
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(t & 0xffn);
    t >>= 8n;
  }
  return out;
}

/** A positive finite double as mantissa · 2^exponent with an integer mantissa. */
function splitDouble(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const fracHi = hi & 0xfffff;
  let mantissa = (BigInt(fracHi) << 32n) | BigInt(lo);
  let exponent: number;
  if (biased === 0) {
    exponent = -1074; // subnormal
  } else {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  return { mantissa, exponent };
}

export function targetToHex(target: Uint8Array): string {
  return bytesToHex(target);
}


/**
 * Leading zero bits of a 256-bit number: a hash in the order SHA-256 returns it (`'le'`, read
 * as a little-endian number the way explorers print it) or a target (`'be'`, as
 * difficultyToTarget returns it).
 */
export function leadingZeroBits(v: Uint8Array, order: 'le' | 'be' = 'le'): number {
  let bits = 0;
  for (let k = 0; k < v.length; k++) {
    const b = v[order === 'le' ? v.length - 1 - k : k]!;
    if (b !== 0) return bits + Math.clz32(b) - 24;
    bits += 8;
  }
  return bits;
}
