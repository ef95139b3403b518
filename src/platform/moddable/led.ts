/**
 * One status LED, one blink pattern per state, so a board without a screen still says what
 * it is doing. Boards whose LED pin is unknown run without one (the patterns still go to trace).
 */
import Digital from 'embedded:io/digital';
import type { Clock } from '../interfaces.ts';

export type LedState = 'boot' | 'wifi' | 'setup' | 'self-test' | 'pool' | 'mining' | 'fault' | 'identify';

/** On/off times in ms; [on] alone is steady. */
const PATTERNS: Record<LedState, number[]> = {
  boot: [1000],
  wifi: [100, 400],          // slow flicker: joining the network
  setup: [1000, 1000],       // slow blink: access point open, waiting for settings
  'self-test': [50, 50],     // fast flicker: testing the core
  pool: [300, 300],          // waiting for the pool
  mining: [30, 2970],        // a blip every 3 s: all is well
  fault: [100, 100, 100, 700], // double blink: something needs attention
  identify: [60, 60],        // rapid blink: "here I am" (AxeOS's identify), for a while
};

export class StatusLed {
  private readonly pin: Digital | undefined;
  private pattern: number[] = [];
  private step = 0;
  private timer: unknown = null;

  constructor(private readonly clock: Clock, pin: number | undefined, private readonly activeHigh = true) {
    this.pin = pin === undefined ? undefined : new Digital({ pin, mode: Digital.Output });
  }

  private state: LedState = 'boot';
  private identifyTimer: unknown = null;

  show(state: LedState): void {
    if (state !== 'identify') this.state = state;
    if (this.identifyTimer !== null && state !== 'identify') return; // shown once identify ends
    trace(`kilohash: ${state}\n`);
    this.pattern = PATTERNS[state];
    this.step = 0;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.tick();
  }

  /** Blinks the identify pattern for `ms`, then shows the state the board is in again. */
  identify(ms = 30_000): void {
    if (this.identifyTimer !== null) this.clock.clearTimeout(this.identifyTimer);
    this.identifyTimer = null;
    this.show('identify');
    this.identifyTimer = this.clock.setTimeout(() => {
      this.identifyTimer = null;
      this.show(this.state);
    }, ms);
  }

  private tick = (): void => {
    const on = this.step % 2 === 0;
    this.pin?.write(on === this.activeHigh ? 1 : 0);
    if (this.pattern.length < 2) return; // steady
    const ms = this.pattern[this.step % this.pattern.length]!;
    this.step++;
    this.timer = this.clock.setTimeout(this.tick, ms);
  };
}
