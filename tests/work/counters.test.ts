import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Extranonce2Counter } from '../../src/work/extranonce2.ts';
import { hexToBytes } from '../../src/work/bytes.ts';
import { BIP320_MASK, rebuildVersion, rollableMask, rollVersion, submittedVersionBits, VERSION_RULES, versionBitsAt, versionSpace } from '../../src/work/version-rolling.ts';

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
  it('sets rolled bits on top of the job version (BIP310 with the job bits kept)', () => {
    expect(rollVersion(0x20000000, 0x00002000, BIP320_MASK)).toBe(0x20002000);
    expect(rollVersion(0x20000004, 0x1fffe000, BIP320_MASK)).toBe(0x3fffe004);
    // Block 794143 was mined with version 0x20800000 from a 0x20000000 template.
    expect(rollVersion(0x20000000, 0x00800000, BIP320_MASK)).toBe(0x20800000);
  });

  it('never clears a bit the job sets inside the mask (regtest signals bit 28: 30000000)', () => {
    expect(rollableMask(0x30000000, BIP320_MASK)).toBe(0x0fffe000);
    expect(rollVersion(0x30000000, 0, BIP320_MASK)).toBe(0x30000000);
    expect(rollVersion(0x30000000, 0x00002000, BIP320_MASK)).toBe(0x30002000);
    expect(() => rollVersion(0x30000000, 0x10000000, BIP320_MASK)).toThrow('version-bits: 0x10000000 sets bits outside the rollable mask 0x0fffe000');
    expect(submittedVersionBits(0x30000000, 0x30002000)).toBe(0x00002000);
  });

  it('refuses bits outside the mask', () => {
    expect(() => rollVersion(0x20000000, 0x00000001, BIP320_MASK)).toThrow('version-bits: 0x00000001 sets bits outside the rollable mask 0x1fffe000');
    expect(() => rebuildVersion(0x20000000, 0x00000001, BIP320_MASK, 'xor')).toThrow('version-bits: 0x00000001 sets bits outside the version mask 0x1fffe000');
  });

  it('rebuilds a submitted field as public-pool (XOR) and ckpool (OR) do', () => {
    // The field ESP-Miner would send for a header 30002000 on a 30000000 job is 00002000;
    // a miner that cleared bit 28 (hashing 20002000) and sent 00002000 is judged on 30002000.
    expect(rebuildVersion(0x30000000, 0x00002000, BIP320_MASK, 'xor')).toBe(0x30002000);
    expect(rebuildVersion(0x30000000, 0x00002000, BIP320_MASK, 'or')).toBe(0x30002000);
    // A field that overlaps the job's own bits: XOR clears them, OR keeps them.
    expect(rebuildVersion(0x30000000, 0x10002000, BIP320_MASK, 'xor')).toBe(0x20002000);
    expect(rebuildVersion(0x30000000, 0x10002000, BIP320_MASK, 'or')).toBe(0x30002000);
  });

  it('what a miner hashes, every rule rebuilds from what it submits (any job version, any mask)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffff }), (job, mask, index) => {
      const free = rollableMask(job, mask);
      const hashed = rollVersion(job, versionBitsAt(index % versionSpace(free), free), mask);
      const sent = submittedVersionBits(job, hashed);
      expect((sent & ~mask) >>> 0).toBe(0); // inside the grant: no pool refuses it
      expect(hashed & job).toBe(job | 0); // no job bit dropped
      for (const rule of VERSION_RULES) expect(rebuildVersion(job, sent, mask, rule)).toBe(hashed);
      // BIP310's replace reading agrees whenever the job leaves the mask clear.
      if ((job & mask) === 0) expect((((job & ~mask) | sent) >>> 0)).toBe(hashed);
    }));
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
