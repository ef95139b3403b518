/**
 * A room of simulated miners for a classroom without boards (`kilohash demo --miners N`): the
 * firmware's miner on the model core, each paced to its own speed and declaring its own watts
 * to the pool (`watts=` in the password), so the room has fast and slow, frugal and hungry
 * miners. Stopping one is unplugging a board: its hash rate leaves the room, blocks slow until
 * the next retarget. All on one thread, so the speeds add up to well under what it can hash.
 */
import { type Settings, DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import type { SimulatedMiners } from '../pool/lesson-api.ts';
import { MiningSession } from './session.ts';

export interface SimulatedMinerSpec {
  name: string;
  hashesPerSecond: number;
  watts: number;
}

/**
 * The room's miners in the order they join: speeds and efficiencies far enough apart that
 * their shares of the blocks, and who mines at a loss, differ visibly. Past the table's end
 * the pattern repeats, slower.
 */
const PROFILES: ReadonlyArray<{ hashesPerSecond: number; watts: number }> = [
  { hashesPerSecond: 160_000, watts: 2.5 },
  { hashesPerSecond: 100_000, watts: 3.5 },
  { hashesPerSecond: 60_000, watts: 1.0 },
  { hashesPerSecond: 40_000, watts: 4.0 },
  { hashesPerSecond: 25_000, watts: 0.8 },
  { hashesPerSecond: 15_000, watts: 2.0 },
];
export const MAX_SIMULATED_MINERS = 12;

export function simulatedMinerSpec(index: number): SimulatedMinerSpec {
  const p = PROFILES[index % PROFILES.length]!;
  const round = Math.floor(index / PROFILES.length);
  return { name: `sim-${index + 1}`, hashesPerSecond: p.hashesPerSecond / 2 ** round, watts: p.watts };
}

export class SimulatedRoom implements SimulatedMiners {
  private readonly sessions = new Map<string, MiningSession>();
  private added = 0;

  constructor(private readonly o: { poolUrl: string; address: string; onStart?(name: string, session: MiningSession): void }) {}

  get size(): number {
    return this.sessions.size;
  }

  async add(): Promise<string> {
    if (this.sessions.size >= MAX_SIMULATED_MINERS) throw new Error(`at most ${MAX_SIMULATED_MINERS} simulated miners share this computer's one thread`);
    const spec = simulatedMinerSpec(this.added++);
    const settings: Settings = {
      ...DEFAULT_SETTINGS,
      stratumURL: this.o.poolUrl,
      stratumUser: `${this.o.address}.${spec.name}`,
      stratumPassword: `x,watts=${spec.watts}`,
      power: spec.watts,
      adminPassword: '',
    };
    const session = await MiningSession.start({ settings, core: { kind: 'model' }, hashesPerSecond: spec.hashesPerSecond, selfTest: false });
    this.sessions.set(`${this.o.address}.${spec.name}`, session);
    this.o.onStart?.(spec.name, session);
    return spec.name;
  }

  async stop(worker: string): Promise<boolean> {
    const s = this.sessions.get(worker);
    if (!s) return false;
    this.sessions.delete(worker);
    await s.stop();
    return true;
  }

  async stopAll(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.stop()));
  }
}

/**
 * A coin price at which a room's miners straddle today's electricity price: the median miner
 * in efficiency (hashes per joule) breaks even at 1.5 × the price, so the least efficient mine
 * at a loss and a price change moves miners across the line. Once the difficulty has settled,
 * a miner's break-even price is value per block × 3.6·10⁶ × its hashes per joule ÷ (the
 * room's hash rate × the block time).
 */
export function classroomCoinPrice(miners: ReadonlyArray<{ hashesPerSecond: number; watts: number }>, blockSeconds: number, subsidyBtc: number, pricePerKwh: number): number {
  const efficiencies = miners.map((m) => m.hashesPerSecond / m.watts).sort((a, b) => a - b);
  const median = efficiencies[Math.floor((efficiencies.length - 1) / 2)];
  const room = miners.reduce((s, m) => s + m.hashesPerSecond, 0);
  if (median === undefined || !(subsidyBtc > 0)) return 0;
  return (1.5 * pricePerKwh * room * blockSeconds) / (subsidyBtc * 3.6e6 * median);
}
