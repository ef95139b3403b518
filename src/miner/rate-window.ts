/**
 * Rates over sliding windows (1 min, 10 min, 1 h) from a cumulative counter, sampled at most
 * once a second into a fixed ring: bounded memory, no allocation per sample.
 */

export class RateWindows {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private head = 0;
  private count = 0;
  private readonly minSpacingMs: number;

  /** Keeps `capacity` samples, at least `minSpacingMs` apart (default: an hour of 1 s samples). */
  constructor(capacity = 3700, minSpacingMs = 1000) {
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
    this.minSpacingMs = minSpacingMs;
  }

  /** Records the counter's value at `now` (ms). */
  sample(now: number, value: number): void {
    const n = this.times.length;
    if (this.count >= 2) {
      // The newest slot follows the counter until it is a full spacing past the one before it.
      const newest = (this.head - 1 + n) % n;
      const before = (this.head - 2 + n) % n;
      if (now - this.times[before]! < this.minSpacingMs) {
        this.times[newest] = now;
        this.values[newest] = value;
        return;
      }
    }
    this.push(now, value);
  }

  private push(now: number, value: number): void {
    this.times[this.head] = now;
    this.values[this.head] = value;
    this.head = (this.head + 1) % this.times.length;
    if (this.count < this.times.length) this.count++;
  }

  /**
   * Counter increase per second over the last `windowMs` (or over what has been seen, if
   * less). 0 until two samples exist.
   */
  rate(windowMs: number): number {
    if (this.count < 2) return 0;
    const n = this.times.length;
    const newest = (this.head - 1 + n) % n;
    const tNow = this.times[newest]!;
    // Walk back to the oldest sample inside the window.
    let idx = newest;
    for (let k = 1; k < this.count; k++) {
      const j = (newest - k + n) % n;
      if (tNow - this.times[j]! > windowMs) break;
      idx = j;
    }
    if (idx === newest) idx = (newest - 1 + n) % n;
    const dt = tNow - this.times[idx]!;
    return dt > 0 ? ((this.values[newest]! - this.values[idx]!) * 1000) / dt : 0;
  }
}
