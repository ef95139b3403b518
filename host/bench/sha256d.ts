/**
 * Double SHA-256 per nonce: src/work's NonceHasher (midstate reuse, the firmware's own code)
 * and the behavioural model's unrolled scanner, against node:crypto (OpenSSL) hashing the
 * same 80-byte header twice per nonce.
 */
import { createHash } from 'node:crypto';
import { writeU32LE } from '../../src/work/bytes.ts';
import { NonceHasher } from '../../src/work/nonce-hasher.ts';
import { headerWork } from '../../src/work/header-work.ts';
import { lastHitCount, prepareScan, scan, thresholdMask } from '../../src/core/model/nonce-scanner.ts';
import type { Contender } from './side-by-side.ts';

export function workHasherContender(header: Uint8Array): Contender {
  const hasher = new NonceHasher(header);
  const out = new Uint8Array(32);
  return {
    name: 'src/work NonceHasher',
    run(start, count) {
      let acc = 0;
      for (let i = 0; i < count; i++) acc ^= hasher.hash((start + i) >>> 0, out)[31]!;
      return acc;
    },
  };
}

export function nodeCryptoContender(header: Uint8Array): Contender {
  const h = Uint8Array.from(header);
  return {
    name: 'node:crypto sha256 x2',
    run(start, count) {
      let acc = 0;
      for (let i = 0; i < count; i++) {
        writeU32LE(h, 76, (start + i) >>> 0);
        const first = createHash('sha256').update(h).digest();
        acc ^= createHash('sha256').update(first).digest()[31]!;
      }
      return acc;
    },
  };
}

/** The behavioural model's scanner (what the demo's core runs): same header, same nonces. */
export function modelScannerContender(header: Uint8Array): Contender {
  const work = headerWork(header);
  const scanWork = prepareScan(work.midstate, work.tail);
  const hits = new Uint32Array(64);
  return {
    name: 'model scanner',
    run(start, count) {
      const first = Math.min(start, 0x100000000 - count);
      return scan(scanWork, first, count, thresholdMask(32), hits) ^ lastHitCount(scanWork);
    },
  };
}
