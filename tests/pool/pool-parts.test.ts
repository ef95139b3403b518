import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, concatBytes } from '../../src/work/bytes.ts';
import { merkleRootFromBranch } from '../../src/work/job.ts';
import { sha256d } from '../../src/work/sha256.ts';
import { decodeAddress } from '../../host/pool/address.ts';
import { buildCoinbaseParts, heightPush } from '../../host/pool/coinbase.ts';
import { SimulatedChain, subsidySats } from '../../host/pool/chain.ts';
import { merkleBranchForCoinbase, merkleRoot } from '../../host/pool/template.ts';
import { Vardiff } from '../../host/pool/vardiff.ts';

describe('coinbase', () => {
  it('BIP34 height pushes', () => {
    expect(bytesToHex(heightPush(1))).toBe('51');
    expect(bytesToHex(heightPush(16))).toBe('60');
    expect(bytesToHex(heightPush(17))).toBe('0111');
    expect(bytesToHex(heightPush(128))).toBe('028000'); // sign bit needs a zero byte
    expect(bytesToHex(heightPush(227_836))).toBe('03fc7903'); // the first BIP34-enforced mainnet height
    expect(bytesToHex(heightPush(840_000))).toBe('0340d10c');
  });

  it('splits around the extranonce so any extranonce gives a well-formed transaction', () => {
    const script = decodeAddress('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq')!.script;
    const { coinb1, coinb2 } = buildCoinbaseParts({ height: 840_000, extranonceSize: 8, tag: '/kilohash/', payoutScript: script, valueSats: subsidySats(840_000) });
    const tx = concatBytes(coinb1, new Uint8Array(8).fill(0xee), coinb2);
    // version | 1 input | null prevout | scriptSig len | …
    expect(bytesToHex(tx.subarray(0, 5))).toBe('0100000001');
    const scriptLen = tx[41]!;
    const scriptSig = tx.subarray(42, 42 + scriptLen);
    expect(bytesToHex(scriptSig.subarray(0, 4))).toBe('0340d10c');
    expect(bytesToHex(scriptSig)).toContain('08' + 'ee'.repeat(8));
    const afterScript = 42 + scriptLen;
    expect(bytesToHex(tx.subarray(afterScript, afterScript + 5))).toBe('ffffffff01');
    expect(new DataView(tx.buffer, tx.byteOffset + afterScript + 5).getBigUint64(0, true)).toBe(312_500_000n);
    expect(bytesToHex(tx.subarray(tx.length - 4 - script.length, tx.length - 4))).toBe(bytesToHex(script));
  });

  it('subsidy halves every 210000 blocks', () => {
    expect(subsidySats(0)).toBe(5_000_000_000n);
    expect(subsidySats(210_000)).toBe(2_500_000_000n);
    expect(subsidySats(840_000)).toBe(312_500_000n);
    expect(subsidySats(64 * 210_000)).toBe(0n);
  });

  it('addresses of every kind and network decode; junk does not', () => {
    for (const a of ['1BoatSLRHtKNngkdXEeobR76b53LETtpyT', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'bcrt1qqurswpc8qurswpc8qurswpc8qurswpc8dxm0gk']) {
      expect(decodeAddress(a), a).not.toBeNull();
    }
    expect(decodeAddress('1BoatSLRHtKNngkdXEeobR76b53LETtpyX')).toBeNull(); // bad checksum
    expect(decodeAddress('hello')).toBeNull();
  });
});

describe('merkle branch for the coinbase', () => {
  it('folding the branch gives the same root as the whole tree (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 40 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (txids, cb) => {
        const branch = merkleBranchForCoinbase(txids);
        expect(bytesToHex(merkleRootFromBranch(cb, branch))).toBe(bytesToHex(merkleRoot([cb, ...txids])));
      }),
      { numRuns: 100 },
    );
  });
  it('a lone coinbase has an empty branch', () => {
    expect(merkleBranchForCoinbase([])).toEqual([]);
    const one = sha256d(Uint8Array.of(1));
    expect(merkleBranchForCoinbase([one])).toEqual([one]);
  });
});

describe('simulated chain', () => {
  it('retargets by actual / expected time, clamped to ×4, every window', () => {
    let t = 0;
    const chain = new SimulatedChain({ difficulty: 1, targetBlockSeconds: 60, retargetWindow: 4, now: () => t });
    const start = chain.difficulty;
    for (let i = 0; i < 4; i++) {
      t += 30; // blocks twice as fast as intended
      chain.addBlock(new Uint8Array(32), 'h', 'w');
    }
    expect(chain.retargets).toHaveLength(1);
    expect(chain.difficulty / start).toBeCloseTo(2, 2);
    for (let i = 0; i < 4; i++) {
      t += 6000; // 100× too slow: clamped to ×4 easier
      chain.addBlock(new Uint8Array(32), 'h', 'w');
    }
    expect(chain.difficulty / start).toBeCloseTo(0.5, 2);
    expect(chain.height).toBe(9);
  });
});

describe('vardiff', () => {
  it('moves toward one share per target interval, at most ×4 per step', () => {
    const v = new Vardiff({ targetSeconds: 10, windowSeconds: 30, minDifficulty: 1e-6, maxDifficulty: 1e6 }, 0);
    let next: number | null = null;
    for (let i = 1; i <= 30; i++) next = v.onShare(1, i) ?? next; // a share per second at diff 1
    expect(next).toBe(4); // wants 10, capped at ×4
    const idle = new Vardiff({ targetSeconds: 10, windowSeconds: 30, minDifficulty: 0.5, maxDifficulty: 1e6 }, 0);
    expect(idle.evaluate(1, 31)).toBe(0.5); // no shares: lower, but not below the floor
  });
});
