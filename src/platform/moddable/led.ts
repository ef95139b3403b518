/**
 * One status LED, one blink pattern per state, so a board without a screen still says what
 * it is doing. Boards whose LED pin is unknown run without one (the patterns still go to trace).
 */
import Digital from 'embedded:io/digital';
import type { Clock } from '../interfaces.ts';

export type LedState = 'boot' | 'wifi' | 'setup' | 'self-test' | 'pool' | 'mining' | 'fault';

/** On/off times in ms; [on] alone is steady. */
const PATTERNS: Record<LedState, number[]> = {
  boot: [1000],
  wifi: [100, 400],          // slow flicker: joining the network
  setup: [1000, 1000],       // slow blink: access point open, waiting for settings
  'self-test': [50, 50],     // fast flicker: testing the core
  pool: [300, 300],          // waiting for the pool
  mining: [30, 2970],        // a blip every 3 s: all is well
  fault: [100, 100, 100, 700], // double blink: something needs attention
};

export class StatusLed {
  private readonly pin: Digital | undefined;
  private pattern: number[] = [];
  private step = 0;
  private timer: unknown = null;

  constructor(private readonly clock: Clock, pin: number | undefined, private readonly activeHigh = true) {
    this.pin = pin === undefined ? undefined : new Digital({ pin, mode: Digital.Output });
  }

  show(state: LedState): void {
    trace(`kilohash: ${state}\n`);
    this.pattern = PATTERNS[state];
    this.step = 0;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.tick();
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
