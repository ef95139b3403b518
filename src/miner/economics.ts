/**
 * The solo miner's arithmetic, for the dashboard and for teaching: what the network's
 * difficulty implies about its hash rate, the odds that your hash rate finds a block, and
 * what it costs in energy next to what it is expected to earn. Pure functions.
 */

/** Expected hashes per unit of difficulty: difficulty 1 is a 2^32 : 1 chance per hash (near enough: 0xffff·2^208). */
export const HASHES_PER_DIFFICULTY = 4294967296;
export const BLOCK_SECONDS = 600;
const DAY = 86400;

/** The network hash rate a difficulty implies at one block per 600 s. */
export function networkHashRate(difficulty: number, blockSeconds = BLOCK_SECONDS): number {
  return (difficulty * HASHES_PER_DIFFICULTY) / blockSeconds;
}

/** Chance that at least one block is found in `seconds` at `hashRate` (Poisson). */
export function blockProbability(hashRate: number, difficulty: number, seconds: number): number {
  if (!(hashRate > 0) || !(difficulty > 0)) return 0;
  const expected = (hashRate * seconds) / (difficulty * HASHES_PER_DIFFICULTY);
  // 1 - e^-x, without losing the tiny values a small miner has.
  return -Math.expm1(-expected);
}

/** Mean time to a block in seconds (Infinity at zero hash rate). */
export function expectedSecondsToBlock(hashRate: number, difficulty: number): number {
  return hashRate > 0 ? (difficulty * HASHES_PER_DIFFICULTY) / hashRate : Infinity;
}

/** The block subsidy at a height, in BTC (halving every 210 000 blocks). */
export function subsidyBtc(height: number): number {
  const halvings = Math.floor(height / 210_000);
  return halvings >= 64 ? 0 : 50 / 2 ** halvings;
}

/**
 * The block height a coinbase announces (BIP34: its script starts with a push of the height).
 * `coinb1` is the pool's first coinbase part; undefined when it does not follow BIP34.
 */
export function coinbaseHeight(coinb1: Uint8Array): number | undefined {
  // version(4) · input count(1) · prevout(36) · script length(varint, 1 byte below 0xfd) · script
  if (coinb1.length < 43 || coinb1[4] !== 1) return undefined;
  const scriptStart = 42;
  const push = coinb1[scriptStart]!;
  if (push < 1 || push > 8 || coinb1.length < scriptStart + 1 + push) return undefined;
  let h = 0;
  for (let i = push - 1; i >= 0; i--) h = h * 256 + coinb1[scriptStart + 1 + i]!;
  return h;
}

export interface EnergySettings {
  /** Board power draw in watts. */
  watts: number;
  /** Electricity price per kWh, in the coin price's currency. */
  pricePerKwh: number;
  /** Price of one bitcoin. */
  coinPrice: number;
  /** Fees a block carries on top of the subsidy, in BTC. */
  feesBtc: number;
}

/** The energy figures until the user gives theirs: a small board's draw, a typical tariff. The settings' defaults are these. */
export const DEFAULT_ENERGY: EnergySettings = { watts: 2.5, pricePerKwh: 0.3, coinPrice: 90_000, feesBtc: 0.02 };

export interface EconomicsInputs {
  hashRate: number;
  networkDifficulty: number;
  /** Block height, for the subsidy; undefined when unknown. */
  height: number | undefined;
  /** Fees a block carries on top of the subsidy, in BTC. */
  feesBtc: number;
  watts: number;
  pricePerKwh: number;
  coinPrice: number;
}

export interface Economics {
  networkHashRate: number;
  oddsPerDay: number;
  oddsPerYear: number;
  /** Mean seconds to a block; null when hashing nothing. */
  expectedSecondsToBlock: number | null;
  blockRewardBtc: number;
  /** Energy cost per day in the price's currency. */
  costPerDay: number;
  /** Expected value per day (odds × reward × coin price), same currency. */
  expectedValuePerDay: number;
  /** Energy per terahash in joules (how efficiency is compared across miners). */
  joulesPerTerahash: number | null;
}

export function economics(i: EconomicsInputs): Economics {
  const reward = (i.height === undefined ? 3.125 : subsidyBtc(i.height)) + i.feesBtc;
  const perDay = blockProbability(i.hashRate, i.networkDifficulty, DAY);
  const mean = expectedSecondsToBlock(i.hashRate, i.networkDifficulty);
  return {
    networkHashRate: networkHashRate(i.networkDifficulty),
    oddsPerDay: perDay,
    oddsPerYear: blockProbability(i.hashRate, i.networkDifficulty, 365.25 * DAY),
    expectedSecondsToBlock: Number.isFinite(mean) ? mean : null,
    blockRewardBtc: reward,
    costPerDay: (i.watts * 24 * i.pricePerKwh) / 1000,
    // Expected blocks per day (not the odds of ≥ 1) times the reward: linear in hash rate.
    expectedValuePerDay: i.networkDifficulty > 0 ? ((i.hashRate * DAY) / (i.networkDifficulty * HASHES_PER_DIFFICULTY)) * reward * i.coinPrice : 0,
    joulesPerTerahash: i.hashRate > 0 ? (i.watts / i.hashRate) * 1e12 : null,
  };
}

/** Energy a miner spends, on average, per block it finds: kWh (null at zero hash rate). */
export function kwhPerBlock(watts: number, hashRate: number, difficulty: number): number | null {
  const seconds = expectedSecondsToBlock(hashRate, difficulty);
  return Number.isFinite(seconds) ? (watts * seconds) / 3_600_000 : null;
}

/**
 * The electricity price per kWh at which a miner's expected reward just pays its energy: above
 * it the miner mines at a loss (and, left to the market, is switched off). `blockValue` is a
 * block's reward in the price's currency. Null when the miner hashes nothing; Infinity when it
 * draws no power.
 */
export function breakEvenPricePerKwh(blockValue: number, watts: number, hashRate: number, difficulty: number): number | null {
  const kwh = kwhPerBlock(watts, hashRate, difficulty);
  if (kwh === null) return null;
  return kwh > 0 ? blockValue / kwh : Infinity;
}
