/**
 * Rates over sliding windows (1 min, 10 min, 1 h) from a cumulative counter: samples at least
 * `minSpacingMs` apart go into a fixed ring (bounded memory, no allocation per sample), and the
 * latest value is kept on the side so a rate is always current.
 */

export class RateWindows {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private head = 0;
  private count = 0;
  private readonly minSpacingMs: number;
  private latestTime = 0;
  private latestValue = 0;
  private seen = false;

  /** Keeps `capacity` samples at least `minSpacingMs` apart (default: an hour of 1 s samples). */
  constructor(capacity = 3700, minSpacingMs = 1000) {
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
    this.minSpacingMs = minSpacingMs;
  }

  /** Records the counter's value at `now` (ms). */
  sample(now: number, value: number): void {
    this.latestTime = now;
    this.latestValue = value;
    this.seen = true;
    const n = this.times.length;
    if (this.count > 0 && now - this.times[(this.head - 1 + n) % n]! < this.minSpacingMs) return;
    this.times[this.head] = now;
    this.values[this.head] = value;
    this.head = (this.head + 1) % n;
    if (this.count < n) this.count++;
  }

  /**
   * Counter increase per second over the last `windowMs` (or over what has been seen, if
   * less). 0 until there are two points in time.
   */
  rate(windowMs: number): number {
    if (!this.seen || this.count === 0) return 0;
    const n = this.times.length;
    // The oldest stored sample inside the window.
    let idx = -1;
    for (let k = 1; k <= this.count; k++) {
      const j = (this.head - k + n) % n;
      if (this.latestTime - this.times[j]! > windowMs) break;
      idx = j;
    }
    if (idx < 0) return 0;
    const dt = this.latestTime - this.times[idx]!;
    return dt > 0 ? ((this.latestValue - this.values[idx]!) * 1000) / dt : 0;
  }
}
