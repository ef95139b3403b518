/**
 * The behavioural model as a free-running core: frames are handled at once, and between them
 * the engines hash in slices scheduled on the platform's timer, the way a real core hashes
 * while the ESP32 does other things. XS-portable (the firmware's desktop build uses it).
 */
import type { Clock } from '../../platform/interfaces.ts';
import type { CoreLink } from '../link.ts';
import { CoreModel, type CoreModelOptions, ModelReadyLine } from './core-model.ts';

export interface ModelLinkOptions extends CoreModelOptions {
  clock: Clock;
  /**
   * Runs `fn` soon, letting I/O in first (Node: setImmediate). Defaults to a 0 ms timer,
   * which some platforms stretch to a millisecond or more.
   */
  defer?: (fn: () => void) => void;
  /** How long one slice of hashing may hold the thread, in ms (default 8). */
  sliceMs?: number;
  /**
   * Hash no faster than this (nonces per second), as a board of that speed would: the
   * classroom's simulated miners differ in speed on one computer. Default: as fast as it can.
   */
  hashesPerSecond?: number;
}

/** A paced model may run this far ahead of or behind its rate (ms), no further: no bursts after a stall. */
const PACE_SLACK_MS = 250;

export class ModelLink implements CoreLink {
  readonly model: CoreModel;
  readonly ready: ModelReadyLine;
  private readonly clock: Clock;
  private readonly defer: (fn: () => void) => void;
  private readonly sliceMs: number;
  private running = false;
  private closed = false;
  /** Nonces per slice, tuned so a slice lasts about sliceMs. */
  private slice = 4096;
  private readonly rate: number | undefined;
  /** The paced model's account: nonces hashed since `since` (ms). */
  private pace = { since: 0, hashed: 0 };

  constructor(options: ModelLinkOptions) {
    this.model = new CoreModel(options);
    this.clock = options.clock;
    this.defer = options.defer ?? ((fn) => void options.clock.setTimeout(fn, 0));
    this.sliceMs = options.sliceMs ?? 8;
    if (options.hashesPerSecond !== undefined && !(options.hashesPerSecond > 0)) throw new RangeError('hashesPerSecond must be above 0');
    this.rate = options.hashesPerSecond;
    this.ready = new ModelReadyLine(this.model);
  }

  /** `endedMidByte`: the frame arrived damaged and counts as cut short (CoreModel.transfer). */
  transfer(frame: Uint8Array, endedMidByte = false): void {
    if (this.closed) throw new Error('model core link is closed');
    this.model.transfer(frame, endedMidByte);
    this.ready.update(); // a popped result may have lowered it
    this.wake();
  }

  close(): void {
    this.closed = true;
  }

  private wake(): void {
    if (this.running || this.closed || !this.model.hasWork) return;
    this.running = true;
    this.pace = { since: this.clock.now(), hashed: 0 };
    this.defer(this.step);
  }

  /** Nonces the paced model may hash now; 0 with the ms to wait for one slice's worth. */
  private allowance(now: number): { nonces: number; waitMs: number } {
    const rate = this.rate!;
    let owed = (rate * (now - this.pace.since)) / 1000 - this.pace.hashed;
    const slack = (rate * PACE_SLACK_MS) / 1000;
    if (owed > slack) {
      // Fell behind (a stalled loop): forgive the debt rather than burst to repay it.
      this.pace.since += ((owed - slack) * 1000) / rate;
      owed = slack;
    }
    // Chunks of at most half the slack: an on-time wake never owes past the slack, so nothing is forgiven but stalls.
    const want = Math.min(this.slice, Math.max(256, slack / 2));
    if (owed >= want) return { nonces: Math.floor(owed), waitMs: 0 };
    return { nonces: 0, waitMs: Math.ceil(((want - owed) * 1000) / rate) };
  }

  private readonly step = (): void => {
    if (this.closed) { this.running = false; return; }
    const t0 = this.clock.now();
    let budget = this.slice;
    if (this.rate !== undefined) {
      const a = this.allowance(t0);
      if (a.nonces === 0) {
        this.clock.setTimeout(this.step, a.waitMs);
        return;
      }
      budget = Math.min(budget, a.nonces);
    }
    const hashed = this.model.hash(budget);
    this.pace.hashed += hashed;
    const ms = this.clock.now() - t0;
    // Keep each slice near sliceMs whatever the machine's speed.
    if (hashed === this.slice) {
      if (ms < this.sliceMs / 2) this.slice = Math.min(this.slice * 2, 1 << 22);
      else if (ms > this.sliceMs * 2) this.slice = Math.max(this.slice >> 1, 256);
    }
    this.ready.update();
    if (this.model.hasWork) this.defer(this.step);
    else this.running = false;
  };
}
