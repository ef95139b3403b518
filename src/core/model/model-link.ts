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
}

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

  constructor(options: ModelLinkOptions) {
    this.model = new CoreModel(options);
    this.clock = options.clock;
    this.defer = options.defer ?? ((fn) => void options.clock.setTimeout(fn, 0));
    this.sliceMs = options.sliceMs ?? 8;
    this.ready = new ModelReadyLine(this.model);
  }

  transfer(frame: Uint8Array): void {
    if (this.closed) throw new Error('model core link is closed');
    this.model.transfer(frame);
    this.ready.update(); // a popped result may have lowered it
    this.wake();
  }

  close(): void {
    this.closed = true;
  }

  private wake(): void {
    if (this.running || this.closed || !this.model.hasWork) return;
    this.running = true;
    this.defer(this.step);
  }

  private readonly step = (): void => {
    if (this.closed) { this.running = false; return; }
    const t0 = this.clock.now();
    const hashed = this.model.hash(this.slice);
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
