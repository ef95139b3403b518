/**
 * The classroom chain's difficulty adjustment, checked numerically: a room whose hash rate
 * halves sees its blocks slow, then the retargets bring the pace back. Block times are drawn
 * as a real chain's are (exponential, mean difficulty × 2^32 ÷ hash rate) from a seeded
 * generator, over many rooms, so nothing depends on one lucky run.
 */
import { describe, expect, it } from 'vitest';
import { SimulatedChain } from '../../host/pool/chain.ts';
import { HASHES_PER_DIFFICULTY } from '../../src/miner/economics.ts';
import { seededRandom } from '../helpers/seeded-random.ts';

interface Room {
  /** Seconds between blocks, drawn or expected, at this hash rate and difficulty. */
  interval(hashRate: number, difficulty: number): number;
}

const expectedRoom: Room = { interval: (h, d) => (d * HASHES_PER_DIFFICULTY) / h };
const randomRoom = (seed: number): Room => {
  const rand = seededRandom(seed);
  return { interval: (h, d) => (-Math.log(1 - rand()) * d * HASHES_PER_DIFFICULTY) / h };
};

/**
 * Mines `windows` windows on a chain whose room hashes at `hashRate` until `halveAfter` blocks,
 * then at half that. Returns each block's interval and the window index it was mined in.
 */
function mine(room: Room, o: { window: number; blockSeconds: number; windows: number; halveAfter: number }) {
  let t = 1_000_000;
  const hashRate = 1e6;
  // Difficulty matched to the room: blocks on schedule until the halving.
  const difficulty = (hashRate * o.blockSeconds) / HASHES_PER_DIFFICULTY;
  const chain = new SimulatedChain({ difficulty, targetBlockSeconds: o.blockSeconds, retargetWindow: o.window, now: () => t });
  const intervals: number[] = [];
  for (let n = 0; n < o.windows * o.window; n++) {
    const dt = room.interval(n < o.halveAfter ? hashRate : hashRate / 2, chain.difficulty);
    t += dt;
    intervals.push(dt);
    chain.addBlock(new Uint8Array(32), String(n), 'room');
  }
  return { chain, intervals };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** The mean block time of window w (0-based), over every room. */
const windowMean = (runs: number[][], window: number, w: number) => mean(runs.flatMap((r) => r.slice(w * window, (w + 1) * window)));

describe('the classroom chain retargets like Bitcoin', () => {
  it('with expected block times: the halving doubles the block time, the next retargets restore it', () => {
    // Halved mid-window (after 2 of 4 blocks): the first retarget sees a partly slow window.
    const { chain, intervals } = mine(expectedRoom, { window: 4, blockSeconds: 20, windows: 5, halveAfter: 6 });
    expect(windowMean([intervals], 4, 0)).toBeCloseTo(20, 2);
    expect(intervals[6]).toBeCloseTo(40, 2);
    const [first, second, third] = chain.retargets;
    expect(first!.to / first!.from).toBeCloseTo(1, 3); // window 0 was on time
    expect(second!.actualSeconds).toBeCloseTo(2 * 20 + 2 * 40, 2);
    expect(second!.to / second!.from).toBeCloseTo(80 / 120, 3);
    // Two windows after the halving the pace is the target's again, and stays there.
    expect(third!.to / third!.from).toBeCloseTo(0.75, 3);
    expect(windowMean([intervals], 4, 3)).toBeCloseTo(20, 2);
    expect(windowMean([intervals], 4, 4)).toBeCloseTo(20, 2);
  });

  it('with random block times: within 25 % of the target two windows after the room halves (400 rooms)', () => {
    const window = 8, blockSeconds = 20;
    const runs = Array.from({ length: 400 }, (_, seed) => mine(randomRoom(seed + 1), { window, blockSeconds, windows: 6, halveAfter: 2 * window }).intervals);
    expect(windowMean(runs, window, 1) / blockSeconds).toBeGreaterThan(0.75);
    expect(windowMean(runs, window, 1) / blockSeconds).toBeLessThan(1.25);
    // The window the hash rate halved in: blocks visibly slower.
    expect(windowMean(runs, window, 2) / blockSeconds).toBeGreaterThan(1.6);
    for (const w of [4, 5]) {
      const ratio = windowMean(runs, window, w) / blockSeconds;
      expect(ratio).toBeGreaterThan(0.75);
      expect(ratio).toBeLessThan(1.25);
    }
  });

  it('clamps a window to ×4 / ÷4 of its target time', () => {
    let t = 0;
    const chain = new SimulatedChain({ difficulty: 1, targetBlockSeconds: 10, retargetWindow: 2, now: () => t });
    t += 1000;
    chain.addBlock(new Uint8Array(32), 'a', 'w');
    chain.addBlock(new Uint8Array(32), 'b', 'w');
    expect(chain.retargets[0]).toMatchObject({ actualSeconds: 1000, usedSeconds: 80, targetSeconds: 20 });
    expect(chain.retargets[0]!.to / chain.retargets[0]!.from).toBeCloseTo(0.25, 3);
    t += 1;
    chain.addBlock(new Uint8Array(32), 'c', 'w');
    chain.addBlock(new Uint8Array(32), 'd', 'w');
    expect(chain.retargets[1]).toMatchObject({ actualSeconds: 1, usedSeconds: 5 });
    expect(chain.retargets[1]!.to / chain.retargets[1]!.from).toBeCloseTo(4, 3);
  });

  it('halves the subsidy every halving interval and counts the coins issued', () => {
    let t = 0;
    const chain = new SimulatedChain({ difficulty: 1, targetBlockSeconds: 10, retargetWindow: 100, halvingInterval: 3, now: () => t });
    for (let i = 0; i < 7; i++) chain.addBlock(new Uint8Array(32), String(i), 'w');
    expect(chain.blocks.map((b) => b.subsidy)).toEqual([50, 50, 25, 25, 25, 12.5, 12.5]);
    expect(chain.issuedBtc).toBe(200);
  });
});
