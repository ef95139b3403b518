/**
 * The four relations of proof-of-work as numbers a class can watch: what /api/chain and
 * /api/miners return and the pool's page draws. Pure: a chain, a room and the lesson's prices
 * in, plain JSON out.
 *
 * - hash rate ↔ probability: each miner's share of the room's hash rate next to its share of
 *   the blocks, and its Poisson odds of at least one block in an hour and a day;
 * - energy price ↔ cost threshold: each miner's energy and cost per expected block, and the
 *   break-even electricity price above which it mines at a loss ("pruned");
 * - difficulty ↔ supply: issuance against the schedule, and the subsidy's halvings;
 * - difficulty adjustment: every retarget, and the one under way with its numbers filled in.
 */
import {
  blockProbability,
  breakEvenPricePerKwh,
  expectedSecondsToBlock,
  HASHES_PER_DIFFICULTY,
  kwhPerBlock,
} from '../../src/miner/economics.ts';
import { KEPT_BLOCKS, type SimulatedChain } from './chain.ts';
import type { MinerRow } from './room.ts';

export interface LessonPrices {
  /** Electricity, per kWh. */
  pricePerKwh: number;
  /** What one coin of the simulated chain is worth, in the same currency. */
  coinPrice: number;
}

/** `now`: unix seconds; `lastBlocks`: how many of the newest blocks to include (the page asks for fewer than are kept). */
export function chainView(chain: SimulatedChain, now: number, lastBlocks = KEPT_BLOCKS) {
  const subsidy = Number(chain.subsidySats) / 1e8;
  const schedule = chain.scheduledHeight(now);
  const windowSeconds = now - chain.windowStartTime;
  return {
    time: now,
    height: chain.height,
    difficulty: chain.difficulty,
    /** The room's hash rate the difficulty is tuned for: one block per target time. */
    impliedHashRate: (chain.difficulty * HASHES_PER_DIFFICULTY) / chain.targetBlockSeconds,
    targetBlockSeconds: chain.targetBlockSeconds,
    retargetWindow: chain.retargetWindow,
    halvingInterval: chain.halvingInterval,
    subsidy,
    blocksFound: chain.blocksFound,
    blocks: lastBlocks >= chain.blocks.length ? chain.blocks : chain.blocks.slice(chain.blocks.length - lastBlocks),
    retargets: chain.retargets,
    /** The window under way, and the retarget it is heading for if it ended now. */
    window: {
      blocks: chain.blocksInWindow,
      startedAt: chain.windowStartTime,
      elapsedSeconds: windowSeconds,
      targetSeconds: chain.retargetWindow * chain.targetBlockSeconds,
      nextRetargetHeight: chain.height + chain.retargetWindow - chain.blocksInWindow,
    },
    issuance: {
      issuedBtc: chain.issuedBtc,
      startTime: chain.startTime,
      startHeight: chain.startHeight,
      /** Blocks a chain exactly on schedule would have by now, since `scheduleFrom`. */
      scheduledHeight: schedule.height,
      scheduleFrom: schedule.from,
      scheduledBtcPerHour: (subsidy * 3600) / chain.targetBlockSeconds,
      nextHalvingHeight: (Math.floor(chain.height / chain.halvingInterval) + 1) * chain.halvingInterval,
    },
  };
}

export type ChainView = ReturnType<typeof chainView>;

export function minersView(rows: MinerRow[], chain: SimulatedChain, prices: LessonPrices, now: number) {
  const d = chain.difficulty;
  const roomRate = rows.reduce((s, r) => s + r.hashRate, 0);
  const blockValue = (Number(chain.subsidySats) / 1e8) * prices.coinPrice;
  const miners = rows.map((r) => {
    const expected = expectedSecondsToBlock(r.hashRate, d);
    const kwh = r.watts === null ? null : kwhPerBlock(r.watts, r.hashRate, d);
    const breakEven = r.watts === null ? null : breakEvenPricePerKwh(blockValue, r.watts, r.hashRate, d);
    return {
      ...r,
      hashShare: roomRate > 0 ? r.hashRate / roomRate : 0,
      blockShare: chain.blocksFound > 0 ? r.blocks / chain.blocksFound : 0,
      odds: { hour: blockProbability(r.hashRate, d, 3600), day: blockProbability(r.hashRate, d, 86400) },
      expectedSecondsToBlock: Number.isFinite(expected) ? expected : null,
      kwhPerBlock: kwh,
      costPerBlock: kwh === null ? null : kwh * prices.pricePerKwh,
      breakEvenPricePerKwh: breakEven === Infinity ? null : breakEven,
      /** Mining at a loss at today's price: the market would switch it off. */
      pruned: breakEven !== null && r.connected && prices.pricePerKwh > breakEven,
    };
  });
  return {
    time: now,
    roomHashRate: roomRate,
    roomWatts: rows.reduce((s, r) => s + (r.connected && r.watts !== null ? r.watts : 0), 0),
    blocksFound: chain.blocksFound,
    prices,
    blockValue,
    miners,
  };
}

export type MinersView = ReturnType<typeof minersView>;
