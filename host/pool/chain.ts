/**
 * The local pool's simulated blockchain: a tip, a height, a subsidy that halves, and a
 * difficulty that retargets the way Bitcoin's does (every `retargetWindow` blocks, by actual ÷
 * target time, the actual time clamped to ×4 / ÷4 of the target) — only with a block time, a
 * window and a halving interval a classroom can watch. The block time, the window and the
 * difficulty can be changed during a lesson.
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
const COIN = 100_000_000;
/** The newest blocks and retargets kept for the page and the API; older ones are only counted. */
export const KEPT_BLOCKS = 1000;
export const KEPT_RETARGETS = 250;

export interface ChainOptions {
  /** Network difficulty of the first block (fractional for a classroom, e.g. 0.01). */
  difficulty: number;
  targetBlockSeconds: number;
  retargetWindow: number;
  /** Blocks between subsidy halvings (Bitcoin: 210 000). */
  halvingInterval?: number;
  startHeight?: number;
  /** Seconds since the epoch. */
  now?: () => number;
}

export interface BlockRecord {
  height: number;
  hash: string;
  /** Unix seconds. */
  time: number;
  difficulty: number;
  /** The block's subsidy in BTC (fees are not simulated). */
  subsidy: number;
  finder: string;
}

export interface RetargetRecord {
  /** The first height mined at the new difficulty. */
  height: number;
  /** Unix seconds. */
  time: number;
  from: number;
  to: number;
  /** The window's time as measured, before the clamp. */
  actualSeconds: number;
  /** The window's time as used: actualSeconds clamped to [target ÷ 4, target × 4]. */
  usedSeconds: number;
  /** retargetWindow × targetBlockSeconds. */
  targetSeconds: number;
  blocks: number;
}

/** The subsidy at a height in satoshis: 50 BTC, halved every `interval` blocks. */
export function subsidySats(height: number, interval = 210_000): bigint {
  const halvings = Math.floor(height / interval);
  return halvings >= 64 ? 0n : (50n * BigInt(COIN)) >> BigInt(halvings);
}

/**
 * Bitcoin's retarget rule: the target scales by the window's time over its target time, the
 * time first clamped to a quarter / four times the target. Targets are integers; the times are
 * taken in milliseconds so a fast classroom chain keeps its precision.
 */
export function retargetedTarget(target: bigint, actualSeconds: number, targetSeconds: number): { target: bigint; usedSeconds: number } {
  const used = Math.min(targetSeconds * 4, Math.max(targetSeconds / 4, actualSeconds));
  let next = (target * BigInt(Math.round(used * 1000))) / BigInt(Math.max(1, Math.round(targetSeconds * 1000)));
  if (next > POW_LIMIT) next = POW_LIMIT;
  if (next < 1n) next = 1n;
  return { target: next, usedSeconds: used };
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

function nbitsFor(difficulty: number): number {
  let target = toBig(difficultyToTarget(difficulty));
  if (target > POW_LIMIT) target = POW_LIMIT;
  return targetToNbits(fromBig(target));
}

export class SimulatedChain {
  height: number;
  /** The tip's hash in header (internal) order. */
  tip: Uint8Array = new Uint8Array(randomBytes(32));
  nbits: number;
  /** The newest KEPT_BLOCKS blocks. */
  readonly blocks: BlockRecord[] = [];
  /** The newest KEPT_RETARGETS retargets. */
  readonly retargets: RetargetRecord[] = [];
  blocksFound = 0;
  readonly startTime: number;
  readonly startHeight: number;
  readonly halvingInterval: number;
  private targetBlock: number;
  private window: number;
  private windowStart: number;
  private windowBlocks = 0;
  private issuedSats = 0n;
  private schedule: { time: number; height: number };
  private readonly now: () => number;

  constructor(opts: ChainOptions) {
    this.now = opts.now ?? (() => Date.now() / 1000);
    this.height = this.startHeight = opts.startHeight ?? 1;
    this.halvingInterval = opts.halvingInterval ?? 210_000;
    this.targetBlock = opts.targetBlockSeconds;
    this.window = opts.retargetWindow;
    this.nbits = nbitsFor(opts.difficulty);
    this.startTime = this.windowStart = this.now();
    this.schedule = { time: this.startTime, height: this.height };
  }

  get target(): Uint8Array {
    return nbitsToTarget(this.nbits);
  }

  get difficulty(): number {
    return nbitsToDifficulty(this.nbits);
  }

  get targetBlockSeconds(): number {
    return this.targetBlock;
  }

  get retargetWindow(): number {
    return this.window;
  }

  /** Blocks mined since the last retarget (or since a control changed the rules). */
  get blocksInWindow(): number {
    return this.windowBlocks;
  }

  /** The subsidy of the block being mined, in satoshis. */
  get subsidySats(): bigint {
    return subsidySats(this.height, this.halvingInterval);
  }

  /** BTC issued by the blocks found so far. */
  get issuedBtc(): number {
    return Number(this.issuedSats) / COIN;
  }

  /**
   * The lesson's controls. A new block time or window starts a new window now, as a retarget
   * would: the blocks of a half-finished window were mined under other rules. A new difficulty
   * does the same; it applies to the block being mined.
   */
  setTargetBlockSeconds(seconds: number): void {
    this.targetBlock = seconds;
    this.schedule = { time: this.now(), height: this.height };
    this.restartWindow();
  }

  /**
   * Where a chain exactly on schedule would be: the height it would have reached by `time`,
   * one block per target block time since the schedule began (the start, or the last change of
   * the block time), and from where.
   */
  scheduledHeight(time: number): { height: number; from: { time: number; height: number } } {
    return { height: this.schedule.height + Math.max(0, time - this.schedule.time) / this.targetBlock, from: { ...this.schedule } };
  }

  /** Unix seconds at which the current window began. */
  get windowStartTime(): number {
    return this.windowStart;
  }

  setRetargetWindow(blocks: number): void {
    this.window = blocks;
    this.restartWindow();
  }

  setDifficulty(difficulty: number): void {
    this.nbits = nbitsFor(difficulty);
    this.restartWindow();
  }

  private restartWindow(): void {
    this.windowStart = this.now();
    this.windowBlocks = 0;
  }

  /** Appends a block found on the current tip; returns the retarget it caused, if any. */
  addBlock(hash: Uint8Array, displayHash: string, finder: string): RetargetRecord | null {
    const time = this.now();
    const subsidy = this.subsidySats;
    this.issuedSats += subsidy;
    this.blocks.push({ height: this.height, hash: displayHash, time, difficulty: this.difficulty, subsidy: Number(subsidy) / COIN, finder });
    if (this.blocks.length > KEPT_BLOCKS) this.blocks.shift();
    this.blocksFound++;
    this.tip = hash;
    this.height++;
    if (++this.windowBlocks < this.window) return null;
    const targetSeconds = this.window * this.targetBlock;
    const actualSeconds = time - this.windowStart;
    const from = this.difficulty;
    const next = retargetedTarget(toBig(this.target), actualSeconds, targetSeconds);
    this.nbits = targetToNbits(fromBig(next.target));
    const record: RetargetRecord = {
      height: this.height, time, from, to: this.difficulty, actualSeconds, usedSeconds: next.usedSeconds, targetSeconds, blocks: this.window,
    };
    this.restartWindow();
    this.retargets.push(record);
    if (this.retargets.length > KEPT_RETARGETS) this.retargets.shift();
    return record;
  }
}
