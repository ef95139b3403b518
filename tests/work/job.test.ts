import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, reversed, toDisplayHex } from '../../src/work/bytes.ts';
import {
  buildCoinbase,
  buildHeader,
  headerPrevHashToStratum,
  jobWork,
  merkleRootFromBranch,
  stratumPrevHashToHeader,
} from '../../src/work/job.ts';
import { sha256d } from '../../src/work/sha256.ts';
import { parseNotifyParams } from '../../src/stratum/notify.ts';
import { hashToDifficulty } from '../../src/work/target.ts';
import { NonceHasher } from '../../src/work/nonce-hasher.ts';
import jobs from '../fixtures/jobs.json' with { type: 'json' };
import blocks from '../fixtures/blocks.json' with { type: 'json' };

describe('Stratum prevhash', () => {
  it('is the header bytes with each 32-bit word byte-reversed', () => {
    // Block 125552's previous hash, as a pool would send it in mining.notify.
    const display = '00000000000008a3a41b85b8b29ad444def299fee21793cd8b9e567eab02cd81';
    const header = reversed(hexToBytes(display));
    const stratum = headerPrevHashToStratum(header);
    // The display hash's 32-bit words in reverse order: how pools actually send it.
    expect(bytesToHex(stratum)).toBe('ab02cd818b9e567ee21793cddef299feb29ad444a41b85b8000008a300000000');
    expect(stratumPrevHashToHeader(stratum)).toEqual(header);
  });

  it('real job: the slush prevhash un-swaps to a hash with leading zeros in display order', () => {
    const job = parseNotifyParams(jobs.slush2023.notify.params);
    expect(toDisplayHex(job.prevHash).startsWith('0000000000000000000')).toBe(true);
  });
});

describe('coinbase and merkle root', () => {
  it('coinbase = coinb1 ‖ extranonce1 ‖ extranonce2 ‖ coinb2', () => {
    const cb = buildCoinbase({ coinb1: hexToBytes('aa'), coinb2: hexToBytes('dd') }, hexToBytes('bb'), hexToBytes('cc00'));
    expect(bytesToHex(cb)).toBe('aabbcc00dd');
  });

  it('an empty branch leaves the coinbase txid as the root', () => {
    const txid = sha256d(hexToBytes('00'));
    expect(merkleRootFromBranch(txid, [])).toEqual(txid);
  });

  it('each level hashes sha256d(root ‖ branch)', () => {
    const a = sha256d(hexToBytes('01'));
    const b = sha256d(hexToBytes('02'));
    const c = sha256d(hexToBytes('03'));
    const level1 = sha256d(new Uint8Array([...a, ...b]));
    expect(merkleRootFromBranch(a, [b, c])).toEqual(sha256d(new Uint8Array([...level1, ...c])));
  });
});

describe('real jobs end to end', () => {
  it('the genesis block, posed as a Stratum job, rebuilds its header and hash', () => {
    const g = jobs.genesis;
    const job = parseNotifyParams(g.notify.params);
    const work = jobWork(job, hexToBytes(g.extranonce1), hexToBytes(g.extranonce2));
    expect(toDisplayHex(work.coinbaseTxid)).toBe(g.expect.coinbaseTxid);
    expect(toDisplayHex(work.merkleRoot)).toBe(g.expect.merkleRoot);
    const header = buildHeader({ ...job, merkleRoot: work.merkleRoot, nonce: g.nonce });
    expect(bytesToHex(header)).toBe(g.expect.header);
    expect(toDisplayHex(sha256d(header))).toBe(g.expect.hash);
  });

  it('a real slush job with a 13-level branch reproduces the share a miner found', () => {
    const s = jobs.slush2023;
    const job = parseNotifyParams(s.notify.params);
    const work = jobWork(job, hexToBytes(s.extranonce1), hexToBytes(s.extranonce2));
    expect(toDisplayHex(work.merkleRoot)).toBe(s.expect.merkleRoot);
    const header = buildHeader({ ...job, merkleRoot: work.merkleRoot, nonce: 0 });
    const hash = new NonceHasher(header).hash(s.nonce, new Uint8Array(32));
    expect(toDisplayHex(hash).startsWith(s.expect.hashPrefix)).toBe(true);
    // A random nonce reaches difficulty 683 once in ~3·10^12 tries: this can only pass if
    // every byte order on the way is right.
    expect(hashToDifficulty(hash)).toBeGreaterThan(s.expect.difficultyFloor);
  });

  it('buildHeader reproduces every real header from its fields', () => {
    for (const b of blocks.blocks) {
      const h = hexToBytes(b.header);
      const v = new DataView(h.buffer);
      const rebuilt = buildHeader({
        version: v.getUint32(0, true),
        prevHash: h.slice(4, 36),
        merkleRoot: h.slice(36, 68),
        ntime: v.getUint32(68, true),
        nbits: v.getUint32(72, true),
        nonce: b.nonce,
      });
      expect(bytesToHex(rebuilt), b.name).toBe(b.header);
      expect(toDisplayHex(sha256d(rebuilt)), b.name).toBe(b.hash);
    }
  });
});
