/**
 * What the host session and the device boot both derive from the settings: the pools, the
 * energy figures and the suggested difficulty the Miner takes, and the all-time best
 * difficulty kept in Storage between runs.
 */
import type { Settings } from '../config/settings.ts';
import type { Storage } from '../platform/interfaces.ts';
import type { PoolConfig } from '../stratum/client.ts';
import type { EnergySettings } from '../miner/economics.ts';
import type { MinerOptions } from '../miner/miner.ts';

const BEST_KEY = 'bestDiff';

export function energyFromSettings(s: Settings): EnergySettings {
  return { watts: s.power, pricePerKwh: s.pricePerKwh, coinPrice: s.coinPrice, feesBtc: s.feesBtc };
}

/** Pools (primary, then the fallback with the primary's user unless it has its own), energy, difficulty. */
export function minerOptionsFromSettings(s: Settings): Pick<MinerOptions, 'pools' | 'energy' | 'suggestDifficulty' | 'extranonceSubscribe'> {
  const pools: PoolConfig[] = [{ url: s.stratumURL, user: s.stratumUser, password: s.stratumPassword }];
  if (s.fallbackStratumURL) pools.push({ url: s.fallbackStratumURL, user: s.fallbackStratumUser || s.stratumUser, password: s.fallbackStratumPassword });
  return { pools, energy: energyFromSettings(s), suggestDifficulty: s.suggestDifficulty > 0 ? s.suggestDifficulty : null, extranonceSubscribe: s.extranonceSubscribe };
}

export function readBestDifficulty(storage: Storage | undefined): number {
  const v = Number(storage?.read(BEST_KEY));
  return Number.isFinite(v) && v > 0 ? v : 0;
}

/** Saves the all-time best; a storage failure is logged, never thrown into the mining loop. */
export function saveBestDifficulty(storage: Storage | undefined, difficulty: number, log?: (text: string) => void): void {
  try {
    storage?.write(BEST_KEY, String(difficulty));
  } catch (e) {
    log?.(`could not save the best difficulty: ${e instanceof Error ? e.message : String(e)}`);
  }
}
