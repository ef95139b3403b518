/**
 * From a Stratum job to the 80-byte header the core hashes:
 *   coinbase = coinb1 ‖ extranonce1 ‖ extranonce2 ‖ coinb2
 *   merkle root = fold(sha256d(coinbase), branch) with sha256d(left ‖ right)
 *   header = version ‖ prevhash ‖ merkle root ‖ ntime ‖ nbits ‖ nonce (all little-endian)
 * docs/byte-order.md walks through every byte order used here.
 */
import { concatBytes, writeU32LE } from './bytes.ts';
import { InputError } from './errors.ts';
import { sha256d } from './sha256.ts';

/** A validated mining job, in the byte orders the header needs. */
export interface MiningJob {
  readonly jobId: string;
  /** Previous block hash in header (internal) order — already un-swapped from Stratum's form. */
  readonly prevHash: Uint8Array;
  readonly coinb1: Uint8Array;
  readonly coinb2: Uint8Array;
  /** Merkle branch hashes, each 32 bytes in internal order (as Stratum sends them). */
  readonly merkleBranch: readonly Uint8Array[];
  readonly version: number;
  readonly nbits: number;
  readonly ntime: number;
  readonly cleanJobs: boolean;
}

/** The Stratum prevhash is the header's 32 bytes with each 4-byte word byte-reversed. */
export function stratumPrevHashToHeader(stratum: Uint8Array): Uint8Array {
  if (stratum.length !== 32) throw new InputError('prevhash', `expected 32 bytes, got ${stratum.length}`);
  const out = new Uint8Array(32);
  for (let w = 0; w < 32; w += 4) {
    out[w] = stratum[w + 3]!;
    out[w + 1] = stratum[w + 2]!;
    out[w + 2] = stratum[w + 1]!;
    out[w + 3] = stratum[w]!;
  }
  return out;
}

/** The inverse: header-order previous hash to the word-swapped form a pool sends. */
export const headerPrevHashToStratum = stratumPrevHashToHeader;

export function buildCoinbase(
  job: Pick<MiningJob, 'coinb1' | 'coinb2'>,
  extranonce1: Uint8Array,
  extranonce2: Uint8Array,
): Uint8Array {
  return concatBytes(job.coinb1, extranonce1, extranonce2, job.coinb2);
}

/**
 * Merkle root (internal order) from the coinbase txid and the branch. Stratum coinbases are
 * serialised without witness data, so sha256d(coinbase) is the txid even in segwit blocks.
 */
export function merkleRootFromBranch(coinbaseTxid: Uint8Array, branch: readonly Uint8Array[]): Uint8Array {
  let root = coinbaseTxid;
  const pair = new Uint8Array(64);
  for (const node of branch) {
    pair.set(root, 0);
    pair.set(node, 32);
    root = sha256d(pair);
  }
  return root;
}

export interface HeaderFields {
  readonly version: number;
  readonly prevHash: Uint8Array;
  readonly merkleRoot: Uint8Array;
  readonly ntime: number;
  readonly nbits: number;
  readonly nonce: number;
}

/** The 80-byte block header. */
export function buildHeader(f: HeaderFields): Uint8Array {
  const h = new Uint8Array(80);
  writeU32LE(h, 0, f.version);
  h.set(f.prevHash, 4);
  h.set(f.merkleRoot, 36);
  writeU32LE(h, 68, f.ntime);
  writeU32LE(h, 72, f.nbits);
  writeU32LE(h, 76, f.nonce);
  return h;
}

/** Everything derived from one (job, extranonce1, extranonce2) triple. */
export interface JobWork {
  readonly coinbase: Uint8Array;
  readonly coinbaseTxid: Uint8Array;
  readonly merkleRoot: Uint8Array;
}

export function jobWork(job: MiningJob, extranonce1: Uint8Array, extranonce2: Uint8Array): JobWork {
  const coinbase = buildCoinbase(job, extranonce1, extranonce2);
  const coinbaseTxid = sha256d(coinbase);
  return { coinbase, coinbaseTxid, merkleRoot: merkleRootFromBranch(coinbaseTxid, job.merkleBranch) };
}
