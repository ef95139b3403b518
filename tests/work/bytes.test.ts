import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bytesToHex,
  hexToBytes,
  hexToU32,
  parseU32,
  readU32BE,
  readU32LE,
  reversed,
  toDisplayHex,
  u32ToHex,
  writeU32BE,
  writeU32LE,
} from '../../src/work/bytes.ts';
import { InputError } from '../../src/work/errors.ts';

describe('hex', () => {
  it('round-trips any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      expect(Array.from(hexToBytes(bytesToHex(b)))).toEqual(Array.from(b));
    }));
  });
  it('accepts upper case and writes lower case', () => {
    expect(bytesToHex(hexToBytes('DEADbeef'))).toBe('deadbeef');
  });
  it('refuses odd length, naming the field', () => {
    expect(() => hexToBytes('abc', 'coinb1')).toThrow('coinb1: odd number of hex digits (3)');
  });
  it('refuses non-hex, naming the field and position', () => {
    expect(() => hexToBytes('00zz', 'nbits')).toThrow("nbits: not hex: 'z' at position 2");
    expect(() => hexToBytes('0x00', 'nbits')).toThrow(InputError);
  });
  it('refuses the wrong length', () => {
    expect(() => hexToBytes('00'.repeat(31), 'prevhash', 32)).toThrow('prevhash: expected 32 bytes (64 hex digits), got 31 bytes');
  });
  it('refuses non-strings', () => {
    expect(() => hexToBytes(42, 'ntime')).toThrow('ntime: expected a hex string, got number');
    expect(() => hexToBytes(null, 'ntime')).toThrow('got null');
  });
  it('display order is the reverse', () => {
    expect(toDisplayHex(hexToBytes('0102'))).toBe('0201');
    expect(reversed(hexToBytes('010203'))).toEqual(hexToBytes('030201'));
  });
});

describe('32-bit words', () => {
  it('reads and writes both orders', () => {
    const b = new Uint8Array(4);
    writeU32LE(b, 0, 0x12345678);
    expect(bytesToHex(b)).toBe('78563412');
    expect(readU32LE(b, 0)).toBe(0x12345678);
    writeU32BE(b, 0, 0xfedcba98);
    expect(bytesToHex(b)).toBe('fedcba98');
    expect(readU32BE(b, 0)).toBe(0xfedcba98);
  });
  it('Stratum words are big-endian hex', () => {
    expect(hexToU32('1d00ffff', 'nbits')).toBe(0x1d00ffff);
    expect(u32ToHex(1)).toBe('00000001');
    expect(() => hexToU32('1d00ff', 'nbits')).toThrow('nbits: expected 4 bytes');
  });
  it('parseU32 takes decimal or 0x-hex in range', () => {
    expect(parseU32('2083236893', 'nonce')).toBe(2083236893);
    expect(parseU32('0x7c2bac1d', 'nonce')).toBe(0x7c2bac1d);
    expect(parseU32('4294967295', 'nonce')).toBe(0xffffffff);
    expect(() => parseU32('4294967296', 'nonce')).toThrow('nonce: out of the 32-bit range');
    expect(() => parseU32('-1', 'nonce')).toThrow('nonce: expected a decimal or 0x-hex integer');
    expect(() => parseU32('1.5', 'nonce')).toThrow(InputError);
    expect(() => parseU32('0x1ffffffff', 'nonce')).toThrow('out of the 32-bit range');
  });
});
