/**
 * The paced model core (the classroom's simulated miners): it hashes at the rate it is given,
 * on its platform clock, and does not burst to catch up after a stall. Time here is a fake
 * clock, so hashing takes no time and the rate is exactly what the pacing allows.
 */
import { describe, expect, it } from 'vitest';
import { ModelLink } from '../../src/core/model/model-link.ts';
import { buildRead, buildWrite, parseRead } from '../../src/core/frames.ts';
import { encodeWork, frameBytes, REG, WORK_WORDS } from '../../src/core/protocol.ts';
import { FakeClock } from '../helpers/fakes.ts';

function pacedCore(hashesPerSecond: number) {
  const clock = new FakeClock();
  const link = new ModelLink({ clock, hashesPerSecond });
  const work = encodeWork(new Uint32Array(WORK_WORDS), new Array(8).fill(0x6a09e667), [0x11, 0x22, 0x33], 0, 0xffffffff, 1, 0);
  link.transfer(buildWrite(new Uint8Array(frameBytes(WORK_WORDS)), REG.WORK, work));
  const hashed = () => {
    const frame = buildRead(new Uint8Array(frameBytes(2)), REG.NONCES_LO, 2);
    link.transfer(frame);
    const out = new Uint32Array(2);
    expect(parseRead(frame, 2, out)).toBe(true);
    return out[1]! * 2 ** 32 + out[0]!;
  };
  return { clock, link, hashed };
}

describe('the paced model core', () => {
  it('hashes at its rate, whatever the slices', () => {
    const { clock, hashed } = pacedCore(50_000);
    clock.advance(10_000);
    // It hashes in chunks of at most an eighth of a second's worth (6250 nonces): within one of 10 s × 50 kH/s.
    expect(Math.abs(hashed() - 500_000)).toBeLessThanOrEqual(6250);
    clock.advance(10_000);
    expect(Math.abs(hashed() - 1_000_000)).toBeLessThanOrEqual(6250);
  });

  it('forgives a stall instead of bursting to repay it', () => {
    const { clock, hashed } = pacedCore(50_000);
    clock.advance(1000);
    const before = hashed();
    // The loop stalls for 5 s (the clock jumps with no timer run), then runs again for 100 ms.
    clock.time += 5000;
    clock.advance(100);
    // At most a quarter second's slack and 100 ms of rate, not the 5 s missed.
    expect(hashed() - before).toBeLessThanOrEqual(50_000 * 0.35);
  });

  it('refuses a rate that is not above 0', () => {
    expect(() => new ModelLink({ clock: new FakeClock(), hashesPerSecond: 0 })).toThrow(/above 0/);
  });
});
