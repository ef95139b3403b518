/**
 * A noisy wire between the driver and a core: every bit on MOSI (before the core sees it) and
 * on MISO (after the core answered) flips with a given probability, from a seeded generator so
 * a failing run can be repeated. It keeps account of what it did, per register, so a test can
 * prove that the frames that matter were hit.
 */
import type { CoreLink } from '../../src/core/link.ts';

export interface NoiseOptions {
  /** Probability that one bit flips, on each wire (e.g. 1e-3). */
  bitErrorRate: number;
  /** Seed of the generator (any 32-bit number but 0). */
  seed?: number;
}

export interface NoiseCounts {
  frames: number;
  /** Frames with at least one bit flipped on MOSI / on MISO. */
  mosiFrames: number;
  misoFrames: number;
  bitsFlipped: number;
  /** Corrupted frames by the register address they were sent to (as the driver sent it). */
  byAddress: Map<number, { mosi: number; miso: number }>;
}

export class NoisyLink implements CoreLink {
  readonly counts: NoiseCounts = { frames: 0, mosiFrames: 0, misoFrames: 0, bitsFlipped: 0, byAddress: new Map() };
  private readonly inner: CoreLink;
  private readonly rate: number;
  private state: number;
  /** Bits to let through before the next flip (the gaps between flips are geometric). */
  private gap: number;

  constructor(inner: CoreLink, options: NoiseOptions) {
    if (!(options.bitErrorRate > 0 && options.bitErrorRate < 1)) throw new RangeError('bitErrorRate must be in (0, 1)');
    this.inner = inner;
    this.rate = options.bitErrorRate;
    this.state = (options.seed ?? 0x9e3779b9) >>> 0 || 1;
    this.gap = this.nextGap();
  }

  get ready() {
    return this.inner.ready;
  }

  async transfer(frame: Uint8Array): Promise<void> {
    this.counts.frames++;
    const addr = frame[1]!;
    const mosi = this.corrupt(frame);
    const p = this.inner.transfer(frame);
    if (p !== undefined) await p;
    const miso = this.corrupt(frame);
    if (mosi || miso) {
      const a = this.counts.byAddress.get(addr) ?? { mosi: 0, miso: 0 };
      if (mosi) { a.mosi++; this.counts.mosiFrames++; }
      if (miso) { a.miso++; this.counts.misoFrames++; }
      this.counts.byAddress.set(addr, a);
    }
  }

  close(): void | Promise<void> {
    return this.inner.close?.();
  }

  /** Flips the bits of `bytes` that the noise hits; true if any. */
  private corrupt(bytes: Uint8Array): boolean {
    const bits = bytes.length * 8;
    let hit = false;
    let at = 0;
    while (at + this.gap < bits) {
      at += this.gap;
      bytes[at >> 3]! ^= 0x80 >> (at & 7);
      this.counts.bitsFlipped++;
      hit = true;
      at++;
      this.gap = this.nextGap();
    }
    this.gap -= bits - at;
    return hit;
  }

  private nextGap(): number {
    // xorshift32 → uniform in (0, 1) → geometric number of clean bits before a flip.
    let x = this.state;
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    this.state = x >>> 0;
    const u = (this.state + 0.5) / 0x100000000;
    return Math.floor(Math.log(u) / Math.log1p(-this.rate));
  }
}
