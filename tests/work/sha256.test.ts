import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../../src/work/bytes.ts';
import { compress, initialState, midstate, sha256, sha256d, stateToBytes } from '../../src/work/sha256.ts';
import { NonceHasher } from '../../src/work/nonce-hasher.ts';
import blocks from '../fixtures/blocks.json' with { type: 'json' };

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('sha256 (FIPS 180-4 / NIST CAVP vectors)', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
    [
      'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
      'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
    ],
  ])('sha256(%j)', (msg, digest) => {
    expect(bytesToHex(sha256(ascii(msg)))).toBe(digest);
  });

  it('one million a', () => {
    expect(bytesToHex(sha256(new Uint8Array(1_000_000).fill(0x61)))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    );
  });

  it('sha256d("hello") matches the well-known value', () => {
    expect(bytesToHex(sha256d(ascii('hello')))).toBe('9595c9df90075148eb06860365df33584b75bff782a510c6cd4883a419833d50');
  });

  it('agrees with node:crypto on random messages of every padding length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        expect(bytesToHex(sha256(data))).toBe(createHash('sha256').update(data).digest('hex'));
      }),
      { numRuns: 500 },
    );
  });
});

describe('midstate', () => {
  it('midstate + the remaining blocks equals the full hash (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 80, maxLength: 80 }), (header) => {
        const state = midstate(header);
        const tail = new Uint8Array(64);
        tail.set(header.subarray(64));
        tail[16] = 0x80;
        tail[62] = 0x02; // 640 bits, big-endian
        tail[63] = 0x80;
        compress(state, tail);
        expect(bytesToHex(stateToBytes(state))).toBe(bytesToHex(sha256(header)));
      }),
      { numRuns: 300 },
    );
  });

  it('the midstate is the state after exactly one block', () => {
    const header = hexToBytes(blocks.blocks[0]!.header);
    const state = initialState();
    compress(state, header, 0);
    expect(Array.from(midstate(header))).toEqual(Array.from(state));
  });

  it('NonceHasher equals sha256d of the header with the nonce written in (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 80, maxLength: 80 }), fc.nat({ max: 0xffffffff }), (header, nonce) => {
        const h = Uint8Array.from(header);
        new DataView(h.buffer).setUint32(76, nonce, true);
        const out = new NonceHasher(header).hash(nonce, new Uint8Array(32));
        expect(bytesToHex(out)).toBe(bytesToHex(sha256d(h)));
      }),
      { numRuns: 300 },
    );
  });

  it('NonceHasher refuses a header that is not 80 bytes', () => {
    expect(() => new NonceHasher(new Uint8Array(79))).toThrow(/80 bytes/);
  });
});

describe('headerWork (the core protocol\'s work layout)', () => {
  it('block 125552: midstate words and the tail words of docs/core-protocol.md', async () => {
    const { headerWork, wordsToHex } = await import('../../src/work/header-work.ts');
    const w = headerWork(hexToBytes(blocks.blocks[1]!.header));
    expect(wordsToHex(w.tail)).toBe('f1fc122bc7f5d74df2b9441a');
    expect(wordsToHex(w.midstate)).toBe('9524c59305c5671316e669ba2d2810a007e86e372f56a9dacd5bce697a78da2d');
    expect(() => headerWork(new Uint8Array(79))).toThrow(/80 bytes/);
  });
});
