/**
 * Turns the newest Stratum job into an endless stream of core work: for each extranonce2,
 * each allowed version (BIP310 rolling), the 2^32 nonces cut into pieces of `noncesPerWork`.
 * The core never runs dry whatever its speed, and a piece is short enough that a new job
 * reaches the core within about a second even without clean_jobs.
 */
import type { CoreWork } from '../core/work-ledger.ts';
import type { ActiveJob } from '../stratum/job-book.ts';
import { Extranonce2Counter } from '../work/extranonce2.ts';
import { buildHeader, jobWork } from '../work/job.ts';
import { difficultyToTarget, leadingZeroBits, nbitsToTarget } from '../work/target.ts';
import { rollableMask, rollVersion, submittedVersionBits, versionBitsAt, versionSpace } from '../work/version-rolling.ts';

/** What a piece of work came from: enough to build the share when a nonce comes back. */
export interface WorkTag {
  readonly active: ActiveJob;
  readonly extranonce2: Uint8Array;
  /** The version field to submit (header version ^ job version), when the pool allows rolling. */
  readonly versionBits: number | undefined;
  /** Bumped by every clean_jobs / new session: results of older generations are not submitted. */
  readonly generation: number;
  /** When this job reached the miner (clock ms), for the job-switch latency. */
  readonly jobReceivedAt: number;
  /** The job's network target (from nbits): a hash at or below it is a block. */
  readonly networkTarget: Uint8Array;
}

export class WorkSource {
  /** Nonces per work: set from the core's rate so one work lasts about a second. */
  noncesPerWork = 1 << 20;
  /**
   * Nonces scanned per header before the next version (or extranonce2): the whole 2^32 space.
   * Tests shrink it to reach rolled versions in seconds instead of hours.
   */
  noncesPerHeader = 2 ** 32;
  private active: ActiveJob | null = null;
  private generation = 0;
  private en2: Extranonce2Counter | null = null;
  private versionIndex = 0;
  private versions = 1;
  /** The granted bits the job's own version leaves clear: the only ones rolled. */
  private rollable = 0;
  private nextNonce = 0;
  private header: Uint8Array | null = null;
  private tag: WorkTag | null = null;
  private threshold = 32;
  private networkTarget: Uint8Array = new Uint8Array(32);

  /** Starts on a new job; `clean` starts a new generation (older results are discarded). */
  setJob(active: ActiveJob, clean: boolean): void {
    if (clean) this.generation++;
    this.active = active;
    this.en2 = new Extranonce2Counter(active.extranonce2Size);
    this.rollable = rollableMask(active.job.version, active.versionMask);
    this.versions = versionSpace(this.rollable);
    this.versionIndex = 0;
    this.nextNonce = 0;
    this.header = null;
    this.threshold = coreThresholdBits(active.difficulty);
    this.networkTarget = nbitsToTarget(active.job.nbits);
  }

  /** Nothing to mine (jobs reset, disconnected for good). */
  clear(): void {
    this.active = null;
    this.generation++;
  }

  get currentGeneration(): number {
    return this.generation;
  }

  get job(): ActiveJob | null {
    return this.active;
  }

  next(): CoreWork<WorkTag> | undefined {
    const a = this.active;
    if (a === null || this.en2 === null) return undefined;
    if (this.header === null || this.tag === null) this.buildHeader(a);
    const first = this.nextNonce;
    const end = Math.max(1, Math.min(2 ** 32, this.noncesPerHeader)) - 1;
    const last = Math.min(end, first + this.noncesPerWork - 1);
    const work: CoreWork<WorkTag> = { header: this.header!, first, last, thresholdBits: this.threshold, tag: this.tag! };
    if (last === end) this.advance();
    else this.nextNonce = last + 1;
    return work;
  }

  /** The nonce space of this header is spent: next version, else next extranonce2. */
  private advance(): void {
    this.nextNonce = 0;
    this.header = null;
    this.versionIndex++;
    if (this.versionIndex >= this.versions) {
      this.versionIndex = 0;
      // A wrap of extranonce2 would repeat work: with 0 bytes of it, only version rolling and
      // a new job (ntime) give fresh headers; repeating is still better than idling.
      this.en2!.increment();
    }
  }

  private buildHeader(a: ActiveJob): void {
    const extranonce2 = Uint8Array.from(this.en2!.bytes);
    const w = jobWork(a.job, a.extranonce1, extranonce2);
    const version = rollVersion(a.job.version, versionBitsAt(this.versionIndex, this.rollable), a.versionMask);
    const versionBits = a.versionMask !== 0 ? submittedVersionBits(a.job.version, version) : undefined;
    this.header = buildHeader({ version, prevHash: a.job.prevHash, merkleRoot: w.merkleRoot, ntime: a.job.ntime, nbits: a.job.nbits, nonce: 0 });
    this.tag = { active: a, extranonce2, versionBits, generation: this.generation, jobReceivedAt: a.receivedAt, networkTarget: this.networkTarget };
  }
}

/**
 * The leading zero bits every hash meeting `difficulty` has: the core reports those and the
 * miner checks the exact target. Capped at 32 (the core's limit, ≈ difficulty 1).
 */
export function coreThresholdBits(difficulty: number): number {
  return Math.max(1, Math.min(32, leadingZeroBits(difficultyToTarget(difficulty), 'be')));
}
