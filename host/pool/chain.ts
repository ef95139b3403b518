/**
 * The local pool's simulated blockchain: a tip, a height, and a difficulty that retargets
 * the way Bitcoin's does (every `retargetWindow` blocks, by actual ÷ expected time, clamped
 * to ×4 either way) — only with a block time and window a classroom can watch.
 */
import { randomBytes } from 'node:crypto';
import {
  difficultyToTarget,
  nbitsToDifficulty,
  nbitsToTarget,
  targetToNbits,
} from '../../src/work/target.ts';

/** The easiest target allowed (regtest's limit): 0x7fffff << 232. */
const POW_LIMIT = 0x7fffffn << 232n;

export interface ChainOptions {
  /** Network difficulty of the first block (fractional for a classroom, e.g. 0.01). */
  difficulty: number;
  targetBlockSeconds: number;
  retargetWindow: number;
  startHeight?: number;
  now?: () => number;
}

export interface BlockRecord {
  height: number;
  hash: string;
  time: number;
  difficulty: number;
  finder: string;
}

export interface RetargetRecord {
  height: number;
  oldDifficulty: number;
  newDifficulty: number;
  actualSeconds: number;
  expectedSeconds: number;
}

function toBig(t: Uint8Array): bigint {
  let v = 0n;
  for (const b of t) v = (v << 8n) | BigInt(b);
  return v;
}

function fromBig(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let x = v;
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

export class SimulatedChain {
  height: number;
  /** The tip's hash in header (internal) order. */
  tip: Uint8Array = new Uint8Array(randomBytes(32));
  nbits: number;
  readonly blocks: BlockRecord[] = [];
  readonly retargets: RetargetRecord[] = [];
  private windowStart: number;
  private readonly now: () => number;

  constructor(private readonly opts: ChainOptions) {
    this.now = opts.now ?? (() => Date.now() / 1000);
    this.height = opts.startHeight ?? 1;
    let target = toBig(difficultyToTarget(opts.difficulty));
    if (target > POW_LIMIT) target = POW_LIMIT;
    this.nbits = targetToNbits(fromBig(target));
    this.windowStart = this.now();
  }

  get target(): Uint8Array {
    return nbitsToTarget(this.nbits);
  }

  get difficulty(): number {
    return nbitsToDifficulty(this.nbits);
  }

  /** Appends a block found on the current tip; returns the retarget it caused, if any. */
  addBlock(hash: Uint8Array, displayHash: string, finder: string): RetargetRecord | null {
    const time = this.now();
    this.blocks.push({ height: this.height, hash: displayHash, time, difficulty: this.difficulty, finder });
    this.tip = hash;
    this.height++;
    const mined = this.blocks.length;
    if (mined % this.opts.retargetWindow !== 0) return null;
    const expected = this.opts.retargetWindow * this.opts.targetBlockSeconds;
    const actual = Math.min(expected * 4, Math.max(expected / 4, time - this.windowStart));
    this.windowStart = time;
    const old = this.difficulty;
    // new target = old target × actual / expected, in integers (milliseconds for precision).
    let target = (toBig(this.target) * BigInt(Math.round(actual * 1000))) / BigInt(Math.round(expected * 1000));
    if (target > POW_LIMIT) target = POW_LIMIT;
    if (target < 1n) target = 1n;
    this.nbits = targetToNbits(fromBig(target));
    const record = { height: this.height, oldDifficulty: old, newDifficulty: this.difficulty, actualSeconds: actual, expectedSeconds: expected };
    this.retargets.push(record);
    return record;
  }
}
