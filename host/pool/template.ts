/**
 * A synthetic block template: a set of made-up transaction ids, and the merkle branch that
 * joins them to the coinbase (which sits at position 0). The branch is computed exactly as a
 * real pool does, so the miner's merkle code is exercised for real.
 */
import { randomBytes } from 'node:crypto';
import { sha256d } from '../../src/work/sha256.ts';

export function merkleBranchForCoinbase(txids: Uint8Array[]): Uint8Array[] {
  const branch: Uint8Array[] = [];
  let level: (Uint8Array | null)[] = [null, ...txids];
  const pair = new Uint8Array(64);
  while (level.length > 1) {
    branch.push(level[1]!);
    if (level.length % 2 === 1) level.push(level[level.length - 1]!);
    const next: (Uint8Array | null)[] = [null];
    for (let i = 2; i < level.length; i += 2) {
      pair.set(level[i]!, 0);
      pair.set(level[i + 1]!, 32);
      next.push(sha256d(pair));
    }
    level = next;
  }
  return branch;
}

/** The full merkle root of [coinbase, ...txids] (for tests and cross-checks). */
export function merkleRoot(leaves: Uint8Array[]): Uint8Array {
  let level = leaves;
  const pair = new Uint8Array(64);
  while (level.length > 1) {
    if (level.length % 2 === 1) level = [...level, level[level.length - 1]!];
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      pair.set(level[i]!, 0);
      pair.set(level[i + 1]!, 32);
      next.push(sha256d(pair));
    }
    level = next;
  }
  return level[0]!;
}

export function randomTxids(count: number): Uint8Array[] {
  return Array.from({ length: count }, () => new Uint8Array(randomBytes(32)));
}
