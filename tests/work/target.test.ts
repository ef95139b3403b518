import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hexToBytes, reversed } from '../../src/work/bytes.ts';
import {
  DIFF1_TARGET,
  difficultyToTarget,
  hashMeetsTarget,
  hashToDifficulty,
  leadingZeroBits,
  nbitsToDifficulty,
  nbitsToTarget,
  targetToDifficulty,
  targetToHex,
  targetToNbits,
} from '../../src/work/target.ts';
import blocks from '../fixtures/blocks.json' with { type: 'json' };
import { sha256d } from '../../src/work/sha256.ts';

const big = (t: Uint8Array) => BigInt('0x' + targetToHex(t));

describe('nbits → target', () => {
  it.each([
    [0x1d00ffff, '00000000ffff0000000000000000000000000000000000000000000000000000'],
    [0x1b0404cb, '00000000000404cb000000000000000000000000000000000000000000000000'],
    [0x1705ae3a, '00000000000000000005ae3a0000000000000000000000000000000000000000'],
    // Bitcoin Core's SetCompact edge cases: small exponents shift the mantissa right.
    [0x01003456, '0'.repeat(64)],
    [0x01123456, '0'.repeat(62) + '12'],
    [0x02008000, '0'.repeat(60) + '0080'],
    [0x05009234, '0'.repeat(56) + '92340000'],
    [0x04123456, '0'.repeat(56) + '12345600'],
    [0x20123456, '1234560000000000000000000000000000000000000000000000000000000000'],
    [0x00000000, '0'.repeat(64)],
    [0x00800000, '0'.repeat(64)],
  ])('0x%s', (nbits, hex) => {
    expect(targetToHex(nbitsToTarget(nbits))).toBe(hex);
  });

  it('refuses negative and overflowing encodings', () => {
    expect(() => nbitsToTarget(0x04923456)).toThrow('nbits: negative target');
    expect(() => nbitsToTarget(0xff123456)).toThrow('nbits: target overflows 256 bits');
    expect(() => nbitsToTarget(0x21010000)).toThrow('overflows');
    expect(targetToHex(nbitsToTarget(0x21000001))).toBe('0001' + '0'.repeat(60));
  });

  it('target → nbits is the canonical compact form', () => {
    for (const n of [0x1d00ffff, 0x1b0404cb, 0x1705ae3a, 0x02008000, 0x20123456]) {
      expect(targetToNbits(nbitsToTarget(n)).toString(16)).toBe(n.toString(16));
    }
    expect(targetToNbits(nbitsToTarget(0x01123456))).toBe(0x01120000);
  });

  it('network difficulty from nbits', () => {
    expect(nbitsToDifficulty(0x1d00ffff)).toBe(1);
    expect(nbitsToDifficulty(0x1a44b9f2)).toBeCloseTo(244112.48777, 4); // block 125552
    expect(nbitsToDifficulty(0x1705ae3a)).toBeCloseTo(49549703178592.68, -2);
  });
});

describe('pool difficulty → share target', () => {
  it('difficulty 1 is 0x00000000FFFF << 208', () => {
    expect(difficultyToTarget(1)).toEqual(DIFF1_TARGET);
  });

  it('is floor(diff1 / d), exactly, for integer and fractional difficulties', () => {
    const diff1 = 0xffffn << 208n;
    expect(big(difficultyToTarget(2))).toBe(diff1 / 2n);
    expect(big(difficultyToTarget(1024))).toBe(diff1 / 1024n);
    expect(big(difficultyToTarget(0.5))).toBe(diff1 * 2n);
    expect(big(difficultyToTarget(0.125))).toBe(diff1 * 8n);
    expect(big(difficultyToTarget(65536))).toBe(diff1 / 65536n);
    expect(big(difficultyToTarget(3))).toBe(diff1 / 3n);
  });

  it('is monotonic: a higher difficulty never gives a larger target', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e15, noNaN: true }), fc.double({ min: 1e-6, max: 1e15, noNaN: true }), (a, b) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        expect(big(difficultyToTarget(hi)) <= big(difficultyToTarget(lo))).toBe(true);
      }),
    );
  });

  it('clamps tiny difficulties to the largest target', () => {
    expect(targetToHex(difficultyToTarget(1e-12))).toBe('f'.repeat(64));
  });

  it('refuses zero, negative and non-finite difficulties', () => {
    for (const d of [0, -1, NaN, Infinity]) expect(() => difficultyToTarget(d)).toThrow('difficulty: must be a finite number above 0');
  });

  it('target difficulty round-trips', () => {
    expect(targetToDifficulty(difficultyToTarget(512))).toBeCloseTo(512, 9);
  });
});

describe('hash checks', () => {
  it('hash ≤ target, comparing the hash as a little-endian number', () => {
    const target = hexToBytes('00000000ffff0000000000000000000000000000000000000000000000000000');
    const equal = reversed(target);
    expect(hashMeetsTarget(equal, target)).toBe(true);
    const above = Uint8Array.from(equal);
    above[0] = 1; // least significant byte
    expect(hashMeetsTarget(above, target)).toBe(false);
    const below = Uint8Array.from(equal);
    below[26] = 0xfe;
    expect(hashMeetsTarget(below, target)).toBe(true);
  });

  it('every real block meets its own network target, and its difficulty is at least the network\'s', () => {
    for (const b of blocks.blocks) {
      const header = hexToBytes(b.header);
      const hash = sha256d(header);
      const nbits = new DataView(header.buffer).getUint32(72, true);
      expect(hashMeetsTarget(hash, nbitsToTarget(nbits)), b.name).toBe(true);
      expect(hashToDifficulty(hash)).toBeGreaterThanOrEqual(nbitsToDifficulty(nbits));
    }
  });

  it('share difficulty of the genesis hash', () => {
    const hash = reversed(hexToBytes(blocks.blocks[0]!.hash));
    expect(hashToDifficulty(hash)).toBeCloseTo(2536.4262984, 6);
    expect(hashToDifficulty(new Uint8Array(32))).toBe(Infinity);
  });
});
