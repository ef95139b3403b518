import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generate } from '../../host/tools/gen-nonce-scanner.ts';
import { lastHitCount, prepareScan, scan, thresholdMask } from '../../src/core/model/nonce-scanner.ts';
import { hexToBytes } from '../../src/work/bytes.ts';
import { headerWork } from '../../src/work/header-work.ts';
import blocks from '../fixtures/blocks.json' with { type: 'json' };
import { referenceNonces } from '../helpers/reference-nonces.ts';

describe('the model\'s nonce scanner', () => {
  it('the generated file is what the generator writes today', () => {
    const committed = readFileSync(new URL('../../src/core/model/nonce-scanner.generated.ts', import.meta.url), 'utf8');
    expect(committed).toBe(generate());
  });

  it('finds the real nonce of every fixture block in a window around it', () => {
    for (const b of blocks.blocks) {
      const header = hexToBytes(b.header);
      const w = prepareScan(headerWork(header).midstate, headerWork(header).tail);
      const hits = new Uint32Array(8);
      const first = Math.max(0, b.nonce - 300);
      expect(scan(w, first, 600, thresholdMask(32), hits), b.name).toBe(600);
      expect([...hits.subarray(0, lastHitCount(w))], b.name).toEqual([b.nonce]);
    }
  });

  it('reports exactly the nonces the reference hasher says meet the threshold', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 80, maxLength: 80 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 1, max: 12 }),
        (header, start, threshold) => {
          const count = 300;
          const first = Math.min(start, 0x100000000 - count);
          const w = prepareScan(headerWork(header).midstate, headerWork(header).tail);
          const hits = new Uint32Array(count);
          scan(w, first, count, thresholdMask(threshold), hits);
          const want = referenceNonces(header, first, count, threshold);
          expect([...hits.subarray(0, lastHitCount(w))]).toEqual(want);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('stops when the hit buffer is full and says how far it got', () => {
    const header = hexToBytes(blocks.blocks[1]!.header);
    const w = prepareScan(headerWork(header).midstate, headerWork(header).tail);
    const hits = new Uint32Array(4);
    const hashed = scan(w, 0, 1000, thresholdMask(1), hits); // about half of all nonces hit
    expect(lastHitCount(w)).toBe(4);
    expect(hashed).toBe(hits[3]! + 1);
  });
});
