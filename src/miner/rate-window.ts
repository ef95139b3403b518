/**
 * Rates over sliding windows (1 min, 10 min, 1 h) from a cumulative counter. Samples go into
 * tiers of fixed rings, each coarser than the last (1 s apart for a minute, 15 s for ten, 90 s
 * for the hour), so a window is measured from samples a fraction of its length apart while the
 * whole history fits in about 2.4 KB: one ring of 1 s samples for an hour took 59 KB, more than
 * the ESP32-C3's whole JS heap. No allocation per sample; the latest value is kept on the side
 * so a rate is always current.
 */

export interface RateTier {
  /** Samples in this ring are at least this far apart. */
  spacingMs: number;
  capacity: number;
}

export const DEFAULT_RATE_TIERS: readonly RateTier[] = [
  { spacingMs: 1_000, capacity: 65 },
  { spacingMs: 15_000, capacity: 42 },
  { spacingMs: 90_000, capacity: 42 },
];

class Ring {
  readonly times: Float64Array;
  readonly values: Float64Array;
  head = 0;
  count = 0;
  constructor(readonly spacingMs: number, capacity: number) {
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  /** How far back this ring reaches when full. */
  get spanMs(): number {
    return (this.times.length - 1) * this.spacingMs;
  }

  add(now: number, value: number): void {
    const n = this.times.length;
    if (this.count > 0 && now - this.times[(this.head - 1 + n) % n]! < this.spacingMs) return;
    this.times[this.head] = now;
    this.values[this.head] = value;
    this.head = (this.head + 1) % n;
    if (this.count < n) this.count++;
  }

  /** The oldest sample no older than `windowMs` before `now`, as an index; -1 if none. */
  oldestWithin(now: number, windowMs: number): number {
    const n = this.times.length;
    let idx = -1;
    for (let k = 1; k <= this.count; k++) {
      const j = (this.head - k + n) % n;
      if (now - this.times[j]! > windowMs) break;
      idx = j;
    }
    return idx;
  }
}

export class RateWindows {
  private readonly rings: Ring[];
  private latestTime = 0;
  private latestValue = 0;
  private seen = false;

  constructor(tiers: readonly RateTier[] = DEFAULT_RATE_TIERS) {
    this.rings = tiers.map((t) => new Ring(t.spacingMs, t.capacity));
  }

  /** Records the counter's value at `now` (ms). */
  sample(now: number, value: number): void {
    this.latestTime = now;
    this.latestValue = value;
    this.seen = true;
    for (const r of this.rings) r.add(now, value);
  }

  /**
   * Counter increase per second over the last `windowMs` (or over what has been seen, if
   * less), from the finest ring that reaches that far back. 0 until there are two points in time.
   */
  rate(windowMs: number): number {
    if (!this.seen) return 0;
    const ring = this.rings.find((r) => r.spanMs >= windowMs) ?? this.rings[this.rings.length - 1]!;
    const idx = ring.oldestWithin(this.latestTime, windowMs);
    if (idx < 0) return 0;
    const dt = this.latestTime - ring.times[idx]!;
    return dt > 0 ? ((this.latestValue - ring.values[idx]!) * 1000) / dt : 0;
  }
}
