/**
 * The classroom page's options, the same for `kilohash pool` and `kilohash demo`: where the
 * pool's page listens, the control password, the prices and the chain's halving interval.
 */
import type { Command } from 'commander';
import { DEFAULT_ENERGY } from '../../../src/miner/economics.ts';
import { CONTROLS } from '../../pool/lesson-controls.ts';
import { intOption, nonNegativeNumberOption } from '../options.ts';
import { UsageError } from '../errors.ts';
import { type LessonServer, type LessonServerOptions, startLessonServer } from '../../pool/lesson-server.ts';
import type { LocalPool } from '../../pool/server.ts';

export interface LessonFlags {
  pagePort: number;
  controlPassword?: string;
  priceKwh: number;
  coinPrice?: number;
  halvingInterval: number;
}

export const DEFAULT_PAGE_PORT = 8081;

export function addLessonOptions(cmd: Command, halvingInterval: number, coinPriceHelp: string): Command {
  return cmd
    .option('--page-port <port>', "the pool's page (miners, the four relations, controls) on this HTTP port (0: any free port)", intOption(0, 65535), DEFAULT_PAGE_PORT)
    .option('--control-password <pw>', "password for changing the lesson's controls from the page (none: controls off); also KILOHASH_CONTROL_PASSWORD")
    .option('--price-kwh <price>', 'electricity price per kWh, for the energy figures', nonNegativeNumberOption, DEFAULT_ENERGY.pricePerKwh)
    .option('--coin-price <price>', coinPriceHelp, nonNegativeNumberOption)
    .option('--halving-interval <blocks>', 'blocks between halvings of the simulated chain\'s subsidy', intOption(1, 10_000_000), halvingInterval);
}

/** The flags checked against the controls' own bounds; the password from the flag or the environment. */
export function lessonSettings(f: LessonFlags, defaultCoinPrice: number) {
  const coinPrice = f.coinPrice ?? defaultCoinPrice;
  for (const [name, v] of [['pricePerKwh', f.priceKwh], ['coinPrice', coinPrice]] as const) {
    const c = CONTROLS[name];
    if (v > c.max) throw new UsageError(`--${name === 'pricePerKwh' ? 'price-kwh' : 'coin-price'} must be at most ${c.max}`);
  }
  return {
    controlPassword: f.controlPassword ?? process.env.KILOHASH_CONTROL_PASSWORD ?? '',
    prices: { pricePerKwh: f.priceKwh, coinPrice },
  };
}

/**
 * Starts the pool's page on --page-port; when that is the default and taken (a second pool,
 * a dashboard), on any free port instead — the URL is printed either way.
 */
export async function startPage(pool: LocalPool, f: LessonFlags, fromDefault: boolean, o: Omit<LessonServerOptions, 'port'>): Promise<LessonServer> {
  try {
    return await startLessonServer(pool, { ...o, port: f.pagePort });
  } catch (e) {
    if (fromDefault && e instanceof Error && /EADDRINUSE/.test(e.message)) return startLessonServer(pool, { ...o, port: 0 });
    throw e;
  }
}
