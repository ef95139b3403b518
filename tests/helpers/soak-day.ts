/**
 * The simulated day both soaks run (tests/miner/soak.test.ts on Node, tests/xs/xs-soak.test.ts
 * on XS): two local pools joined in memory on a fake clock, and the day's plan as timers on
 * that clock — jobs every 30 s, a clean job every 10 minutes, the share difficulty doubled and
 * halved every 3 hours, 100 faults of every kind, a pool restart at 6 h, a 40-minute failover
 * at 14 h. The core is the model, paced to RATE nonces per second of fake time.
 */
import type { CoreLink } from '../../src/core/link.ts';
import { CoreModel } from '../../src/core/model/core-model.ts';
import type { Clock } from '../../src/platform/interfaces.ts';
import { DEMO_ADDRESS } from '../../host/cli/commands/pool.ts';
import { LINE_FAULTS, type LineFault, MemoryNetwork } from '../../host/faults/memory-network.ts';
import { LocalPool, type PoolEvent } from '../../host/pool/server.ts';
import { FakeClock } from './fakes.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** Simulated hash rate: low enough to hash a day for real in seconds. */
export const RATE = 200;
/** A share every ~30 s at RATE: difficulty × 2^32 hashes per share. */
export const DIFFICULTY = (RATE * 30) / 2 ** 32;
export const PRIMARY = 3333;
export const BACKUP = 3334;
export const POOL_URLS = [`stratum+tcp://primary.local:${PRIMARY}`, `stratum+tcp://backup.local:${BACKUP}`];
export const USER = `${DEMO_ADDRESS}.soak`;

/** The model core hashing RATE nonces per second of the fake clock. */
export class PacedModelLink implements CoreLink {
  readonly model = new CoreModel();
  paused = false;
  private timer: unknown;
  constructor(private readonly clock: Clock, tickMs = 250) {
    const tick = () => {
      this.timer = clock.setTimeout(tick, tickMs);
      if (!this.paused) this.model.hash((RATE * tickMs) / 1000);
    };
    this.timer = clock.setTimeout(tick, tickMs);
  }
  transfer(frame: Uint8Array): void {
    this.model.transfer(frame);
  }
  close(): void {
    this.clock.clearTimeout(this.timer);
  }
}

export interface SoakDay {
  clock: FakeClock;
  net: MemoryNetwork;
  pools: LocalPool[];
  /** Shares each pool accepted. */
  poolAccepted: number[];
  start: number;
  lastFaultAt(): number;
  /** Runs the clock for `ms` in `step`s, letting `settle` (deliveries, promises) in after each. */
  run(ms: number, settle: () => Promise<void>, step?: number): Promise<void>;
  stop(): void;
}

export function soakDay(): SoakDay {
  const clock = new FakeClock();
  clock.time = Date.UTC(2026, 11, 2); // the pools make ntime from it
  const net = new MemoryNetwork({ clock, stallMs: 90_000 });
  const chain = { difficulty: 1e9, targetBlockSeconds: 600, retargetWindow: 2016 };
  const poolAccepted = [0, 0];
  const pools = [PRIMARY, BACKUP].map((port, i) => {
    const pool = new LocalPool({ port, address: DEMO_ADDRESS, difficulty: DIFFICULTY, chain, jobIntervalSeconds: 30, clock });
    pool.on('event', (e: PoolEvent) => { if (e.event === 'share' && e.accepted) poolAccepted[i]!++; });
    net.listen(port, pool);
    pool.begin();
    return pool;
  });

  const start = clock.now();
  const at = (ms: number, fn: () => void) => clock.setTimeout(fn, start + ms - clock.now());
  for (let t = 10 * MINUTE; t < DAY; t += 10 * MINUTE) at(t, () => pools.forEach((p) => p.makeJob(true)));
  for (let t = 3 * HOUR, k = 1; t < DAY; t += 3 * HOUR, k++) at(t, () => pools.forEach((p) => p.changeDifficulty(DIFFICULTY * (k % 2 === 1 ? 2 : 1))));
  const outage = (from: number, minutes: number) => {
    at(from, () => { net.down(PRIMARY); pools[0]!.halt(); });
    at(from + minutes * MINUTE, () => { pools[0]!.begin(); net.up(PRIMARY); });
  };
  outage(6 * HOUR, 2); // a restart
  outage(14 * HOUR, 40); // long enough to fail over to the backup and come back
  // 100 faults of every kind between 10 minutes and 23 hours, in a fixed random order; a fault
  // that finds no live connection is tried again 10 s later.
  const faults = shuffled(LINE_FAULTS.flatMap((k) => Array<LineFault>(100).fill(k)), 0x5eed);
  const spacing = (23 * HOUR - 10 * MINUTE) / faults.length;
  let lastFaultAt = 0;
  faults.forEach((kind, i) => {
    const fire = () => {
      if (net.inject(kind)) lastFaultAt = clock.now();
      else clock.setTimeout(fire, 10_000);
    };
    at(10 * MINUTE + i * spacing, fire);
  });

  return {
    clock,
    net,
    pools,
    poolAccepted,
    start,
    lastFaultAt: () => lastFaultAt,
    async run(ms, settle, step = 100) {
      for (let t = 0; t < ms; t += step) {
        clock.advance(step);
        await settle();
      }
    },
    stop: () => pools.forEach((p) => p.halt()),
  };
}

/** A seeded shuffle, so the fault order is the same on every run. */
function shuffled<T>(items: T[], seed: number): T[] {
  const a = [...items];
  let x = seed;
  for (let i = a.length - 1; i > 0; i--) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    const j = (x >>> 0) % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
