/**
 * The miner's status as one plain object (the JSON API, the dashboards, `kilohash mine
 * --json`), and the same facts under the field names AxeOS uses, so tools written for Bitaxe
 * boards can read ours. Hash rates are given two ways on purpose: from the core's nonce counter
 * (exact) and from accepted shares × difficulty (what a pool sees: an estimate).
 */
import { HASHES_PER_DIFFICULTY, breakEvenPricePerKwh, coinbaseHeight, economics, type Economics } from './economics.ts';
import { payoutNetwork, NETWORK_LABELS, type NetworkKind } from './network.ts';
import type { Miner, MinerState } from './miner.ts';
import { nbitsToDifficulty } from '../work/target.ts';

export interface RateSet {
  m1: number;
  m10: number;
  h1: number;
}

export interface MinerStatus {
  state: MinerState;
  uptimeSeconds: number;
  /** Mining is paused: the core gets no work, the pool stays connected. */
  paused: boolean;
  pool: { url: string; user: string; connected: boolean; difficulty: number; error: string | null; usingFallback: boolean; responseMs: number | null };
  core: { engines: number; clockHz: number; nominalHashRate: number; hashes: number; results: number; hardwareErrors: number; resets: number; retries: number; fifoOverflows: number; error: string | null };
  /** Hashes per second. */
  hashRate: { counter: RateSet; shares: RateSet };
  shares: { found: number; accepted: number; rejected: number; rejectReasons: Record<string, number>; stale: number; unanswered: number; blockCandidates: number };
  bestDifficulty: { session: number; ever: number };
  /**
   * The network the payout address is on, from its current job. `hashRate`: what the
   * difficulty implies at Bitcoin's 600 s blocks; null on a local chain, whose block time the
   * miner cannot know.
   */
  network: { kind: NetworkKind; label: string; difficulty: number; height: number | null; hashRate: number | null } | null;
  odds: { perDay: number; perYear: number; expectedSecondsToBlock: number | null } | null;
  /**
   * `expectedValuePerDay` and `breakEvenPricePerKwh` (the electricity price at which the
   * expected reward just pays the energy): at the coin price on Bitcoin, 0 and null on a test
   * network, null on a local chain (its coins are priced, if at all, by the pool).
   */
  energy: {
    watts: number; pricePerKwh: number; coinPrice: number; costPerDay: number;
    expectedValuePerDay: number | null; breakEvenPricePerKwh: number | null; joulesPerTerahash: number | null;
  };
  jobSwitch: { lastMs: number | null; meanMs: number | null; count: number };
}

const M1 = 60_000, M10 = 600_000, H1 = 3_600_000;

export function minerStatus(m: Miner, now: number): MinerStatus {
  const c = m.counters;
  const counter = { m1: m.hashes.rate(M1), m10: m.hashes.rate(M10), h1: m.hashes.rate(H1) };
  const shares = {
    m1: m.acceptedDifficulty.rate(M1) * HASHES_PER_DIFFICULTY,
    m10: m.acceptedDifficulty.rate(M10) * HASHES_PER_DIFFICULTY,
    h1: m.acceptedDifficulty.rate(H1) * HASHES_PER_DIFFICULTY,
  };
  const job = m.client.currentJob?.job ?? null;
  const networkDifficulty = job ? nbitsToDifficulty(job.nbits) : 0;
  const height = job ? coinbaseHeight(job.coinb1) : undefined;
  const kind = payoutNetwork(m.client.activePool.user);
  const priced = kind === 'main' || kind === 'unknown';
  const hashRate = counter.m10 || counter.m1;
  const e: Economics = economics({
    hashRate,
    networkDifficulty,
    height,
    feesBtc: m.energy.feesBtc,
    watts: m.energy.watts,
    pricePerKwh: m.energy.pricePerKwh,
    coinPrice: priced ? m.energy.coinPrice : 0,
  });
  const breakEven = priced && job ? breakEvenPricePerKwh(e.blockRewardBtc * m.energy.coinPrice, m.energy.watts, hashRate, networkDifficulty) : null;
  const s = m.client.stats;
  const d = m.driver.stats;
  return {
    state: m.state,
    uptimeSeconds: Math.round((now - c.startedAt) / 1000),
    paused: m.paused,
    pool: {
      url: m.client.activePool.url, user: m.client.activePool.user, connected: m.client.state.kind === 'mining', difficulty: m.client.difficulty,
      error: m.authError ?? null, usingFallback: m.client.activePoolIndex > 0, responseMs: m.client.stats.responseMs,
    },
    core: {
      engines: m.identity?.engines ?? 0,
      clockHz: m.identity?.clockHz ?? 0,
      nominalHashRate: m.identity?.nominalHashRate ?? 0,
      hashes: d.hashes,
      results: d.results,
      hardwareErrors: d.hardwareErrors,
      resets: d.resets,
      retries: d.retries,
      fifoOverflows: d.fifoOverflows,
      error: m.coreError ?? null,
    },
    hashRate: { counter, shares },
    shares: {
      found: c.sharesFound,
      accepted: s.accepted,
      rejected: s.rejected + s.invalid + s.belowTarget,
      rejectReasons: { ...s.rejectReasons, ...(s.invalid ? { invalid: s.invalid } : {}), ...(s.belowTarget ? { 'below target': s.belowTarget } : {}) },
      stale: s.stale + c.staleDropped,
      unanswered: s.unanswered,
      blockCandidates: c.blockCandidates,
    },
    bestDifficulty: { session: c.bestSession, ever: c.bestEver },
    network: job ? { kind, label: NETWORK_LABELS[kind], difficulty: networkDifficulty, height: height ?? null, hashRate: kind === 'regtest' ? null : e.networkHashRate } : null,
    odds: job ? { perDay: e.oddsPerDay, perYear: e.oddsPerYear, expectedSecondsToBlock: e.expectedSecondsToBlock } : null,
    energy: {
      ...m.energy, costPerDay: e.costPerDay,
      expectedValuePerDay: kind === 'regtest' || !job ? null : e.expectedValuePerDay,
      breakEvenPricePerKwh: breakEven === Infinity ? null : breakEven,
      joulesPerTerahash: e.joulesPerTerahash,
    },
    jobSwitch: { lastMs: c.lastJobSwitchMs, meanMs: c.jobSwitches ? c.jobSwitchTotalMs / c.jobSwitches : null, count: c.jobSwitches },
  };
}

/** Difficulties as miners write them: "4.29G", "512M", "1.23k". */
export function formatDifficulty(d: number): string {
  const units: Array<[number, string]> = [[1e15, 'P'], [1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [v, u] of units) if (d >= v) return `${(d / v).toFixed(2).replace(/\.?0+$/, '')}${u}`;
  return d >= 1 ? d.toFixed(2).replace(/\.?0+$/, '') : d.toPrecision(3);
}
