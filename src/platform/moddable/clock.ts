/** Clock on Moddable: `Time.ticks` (monotonic ms) and the `timer` module (there is no global setTimeout). */
import Time from 'time';
import Timer from 'timer';
import type { Clock } from '../interfaces.ts';

export const moddableClock: Clock = {
  now: () => Time.ticks,
  setTimeout: (callback, ms) => Timer.set(() => callback(), Math.max(0, ms)),
  clearTimeout: (handle) => Timer.clear(handle as Timer),
};
