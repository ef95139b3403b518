/**
 * Variable difficulty: keep each miner near one share every `targetSeconds`, whatever its
 * speed. Re-evaluated once per window from the shares seen, moving at most ×4 per step.
 */
export interface VardiffOptions {
  targetSeconds: number;
  windowSeconds: number;
  minDifficulty: number;
  maxDifficulty: number;
}

export class Vardiff {
  private windowStart: number;
  private work = 0;

  constructor(
    private readonly opts: VardiffOptions,
    now: number,
  ) {
    this.windowStart = now;
  }

  /** Records an accepted share of `difficulty`; returns a new difficulty when one is due. */
  onShare(difficulty: number, now: number): number | null {
    this.work += difficulty;
    return this.evaluate(difficulty, now);
  }

  /** Also called on a timer, so a miner whose difficulty is far too high gets lowered. */
  evaluate(current: number, now: number): number | null {
    const elapsed = now - this.windowStart;
    if (elapsed < this.opts.windowSeconds) return null;
    // Observed rate in difficulty-1 units per second → the difficulty that gives one share
    // per targetSeconds at that rate.
    const ideal = (this.work / elapsed) * this.opts.targetSeconds;
    this.windowStart = now;
    this.work = 0;
    const next = Math.min(this.opts.maxDifficulty, Math.max(this.opts.minDifficulty, Math.min(current * 4, Math.max(current / 4, ideal))));
    return Math.abs(next - current) / current > 0.25 ? next : null;
  }
}
