import { describe, expect, it } from 'vitest';
import { Extranonce2Counter } from '../../src/work/extranonce2.ts';
import { hexToBytes } from '../../src/work/bytes.ts';
import { BIP320_MASK, rollVersion, versionBitsAt, versionSpace } from '../../src/work/version-rolling.ts';

describe('Extranonce2Counter', () => {
  it('counts in fixed-width hex', () => {
    const c = new Extranonce2Counter(4);
    expect(c.hex).toBe('00000000');
    c.increment();
    expect(c.hex).toBe('00000001');
    c.set(hexToBytes('000000ff'));
    c.increment();
    expect(c.hex).toBe('00000100');
  });

  it('reports the wrap instead of silently continuing', () => {
    const c = Extranonce2Counter.fromHex('fffe', 2);
    expect(c.increment()).toBe(false);
    expect(c.hex).toBe('ffff');
    expect(c.increment()).toBe(true);
    expect(c.hex).toBe('0000');
  });

  it('size 0 has one value and wraps on every step', () => {
    const c = new Extranonce2Counter(0);
    expect(c.hex).toBe('');
    expect(c.increment()).toBe(true);
    expect(c.space).toBe(1);
  });

  it('supports 16 bytes', () => {
    const c = Extranonce2Counter.fromHex('ff'.repeat(16), 16);
    expect(c.increment()).toBe(true);
    expect(c.hex).toBe('00'.repeat(16));
  });

  it('refuses sizes outside 0..16 and values of the wrong width', () => {
    expect(() => new Extranonce2Counter(17)).toThrow('extranonce2_size: must be an integer 0..16');
    expect(() => new Extranonce2Counter(-1)).toThrow('extranonce2_size');
    expect(() => new Extranonce2Counter(2.5)).toThrow('extranonce2_size');
    expect(() => Extranonce2Counter.fromHex('000000', 4)).toThrow('extranonce2: expected 4 bytes');
    expect(() => new Extranonce2Counter(4).set(new Uint8Array(8))).toThrow('extranonce2: expected 4 bytes, got 8');
  });
});

describe('version rolling', () => {
  it('applies bits under the mask (BIP310)', () => {
    expect(rollVersion(0x20000000, 0x00002000, BIP320_MASK)).toBe(0x20002000);
    expect(rollVersion(0x20000004, 0x1fffe000, BIP320_MASK)).toBe(0x3fffe004);
    // Block 794143 was mined with version 0x20800000 from a 0x20000000 template.
    expect(rollVersion(0x20000000, 0x00800000, BIP320_MASK)).toBe(0x20800000);
  });

  it('masked job bits are replaced, not ORed', () => {
    expect(rollVersion(0x20002000, 0x00004000, BIP320_MASK)).toBe(0x20004000);
  });

  it('refuses bits outside the mask', () => {
    expect(() => rollVersion(0x20000000, 0x00000001, BIP320_MASK)).toThrow('version-bits: 0x00000001 sets bits outside the version mask 0x1fffe000');
  });

  it('enumerates every allowed version exactly once', () => {
    const mask = 0x00a00500;
    expect(versionSpace(mask)).toBe(16);
    const seen = new Set<number>();
    for (let i = 0; i < 16; i++) {
      const bits = versionBitsAt(i, mask);
      expect(bits & ~mask).toBe(0);
      seen.add(bits);
    }
    expect(seen.size).toBe(16);
    expect(versionSpace(BIP320_MASK)).toBe(65536);
    expect(versionBitsAt(65535, BIP320_MASK)).toBe(BIP320_MASK);
    expect(versionBitsAt(1, BIP320_MASK)).toBe(0x2000);
  });
});
