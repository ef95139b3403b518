/**
 * A day in the life of the miner, in seconds: 24 simulated hours on a fake clock. The real
 * miner (src/miner: Stratum client, work source, core driver) on the model core, paced to a
 * fixed hash rate, against two real local pools (host/pool) joined in memory. New jobs every
 * 30 s, a clean job every 10 minutes, the share difficulty changed every 3 hours, 100 faults of
 * every kind the fault proxy has, a pool restart, and a failover to the backup pool and back.
 *
 * The ledger must balance: every share the miner found is accepted, or counted stale (by the
 * miner, or by the pool's explicit answer), or refused by the miner before sending for a
 * reason it counted; nothing is left unanswered or in flight, and the pools accepted at least
 * every share the miner saw accepted.
 */
import { describe, expect, it } from 'vitest';
import type { CoreLink } from '../../src/core/link.ts';
import { CoreModel } from '../../src/core/model/core-model.ts';
import { Miner, type MinerEvent } from '../../src/miner/miner.ts';
import type { Clock } from '../../src/platform/interfaces.ts';
import { LINE_FAULTS, type LineFault, MemoryNetwork } from '../../host/faults/memory-network.ts';
import { DEMO_ADDRESS } from '../../host/cli/commands/pool.ts';
import { LocalPool, type PoolEvent } from '../../host/pool/server.ts';
import { FakeClock } from '../helpers/fakes.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY = 24 * HOUR;
/** Simulated hash rate: low enough to hash a day for real in seconds. */
const RATE = 200;
/** A share every ~30 s at RATE: difficulty × 2^32 hashes per share. */
const DIFFICULTY = (RATE * 30) / 2 ** 32;
const PRIMARY = 3333;
const BACKUP = 3334;

/** The model core hashing RATE nonces per second of the fake clock. */
class PacedModelLink implements CoreLink {
  readonly model = new CoreModel();
  paused = false;
  private timer: unknown;
  constructor(private readonly clock: Clock, private readonly tickMs = 250) {
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

describe('24-hour soak on a fake clock', () => {
  it('keeps mining through faults, a restart and a failover, and every share is accounted for', async () => {
    const clock = new FakeClock();
    clock.time = Date.UTC(2026, 11, 2); // the pools make ntime from it
    const net = new MemoryNetwork({ clock, stallMs: 90_000 });
    const chain = { difficulty: 1e9, targetBlockSeconds: 600, retargetWindow: 2016 };
    const pools = [PRIMARY, BACKUP].map((port) => {
      const pool = new LocalPool({ port, address: DEMO_ADDRESS, difficulty: DIFFICULTY, chain, jobIntervalSeconds: 30, clock });
      net.listen(port, pool);
      pool.begin();
      return pool;
    });
    const poolAccepted = [0, 0];
    const poolStale = [0, 0];
    pools.forEach((p, i) => p.on('event', (e: PoolEvent) => {
      if (e.event !== 'share') return;
      if (e.accepted) poolAccepted[i]!++;
      else if (e.reason === 'Stale') poolStale[i]!++;
    }));

    const link = new PacedModelLink(clock);
    const events: (MinerEvent & { at: number })[] = [];
    const miner = new Miner({
      pools: [
        { url: `stratum+tcp://primary.local:${PRIMARY}`, user: `${DEMO_ADDRESS}.soak`, password: 'x' },
        { url: `stratum+tcp://backup.local:${BACKUP}`, user: `${DEMO_ADDRESS}.soak`, password: 'x' },
      ],
      transport: net.transport,
      clock,
      link,
      pollMs: 500,
      stratum: { backoff: { initialMs: 1000, maxMs: 30_000 }, returnToPrimaryMs: 10 * MINUTE },
      onEvent: (e) => events.push({ ...e, at: clock.now() }),
    });

    // The day's plan: timers on the same clock as everything else.
    const start = clock.now();
    const at = (ms: number, fn: () => void) => clock.setTimeout(fn, start + ms - clock.now());
    for (let t = 10 * MINUTE; t < DAY; t += 10 * MINUTE) at(t, () => pools.forEach((p) => p.makeJob(true)));
    for (let t = 3 * HOUR, k = 1; t < DAY; t += 3 * HOUR, k++) at(t, () => pools.forEach((p) => p.changeDifficulty(DIFFICULTY * (k % 2 === 1 ? 2 : 1))));
    const restartAt = 6 * HOUR;
    at(restartAt, () => { net.down(PRIMARY); pools[0]!.halt(); });
    at(restartAt + 2 * MINUTE, () => { pools[0]!.begin(); net.up(PRIMARY); });
    const failoverAt = 14 * HOUR;
    at(failoverAt, () => { net.down(PRIMARY); pools[0]!.halt(); });
    at(failoverAt + 40 * MINUTE, () => { pools[0]!.begin(); net.up(PRIMARY); });
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

    const started = miner.start();
    const step = 100;
    const drain = () => new Promise<void>((r) => setImmediate(r));
    for (let t = 0; t < DAY; t += step) {
      clock.advance(step);
      await drain();
    }
    await started;
    // Settle: stop hashing, let answers in flight arrive.
    link.paused = true;
    for (let t = 0; t < 2 * MINUTE; t += step) {
      clock.advance(step);
      await drain();
    }

    const s = miner.client.stats;
    const c = miner.counters;
    const injected = Object.fromEntries(net.stats.faults);
    // Every kind was injected 100 times, the last well before the end.
    for (const k of LINE_FAULTS) expect(injected[k], k).toBe(100);
    expect(lastFaultAt - start).toBeLessThan(23 * HOUR + 30 * MINUTE);

    // The ledger.
    const refusedBeforeSending = s.invalid + s.belowTarget;
    const rejectedOther = Object.entries(s.rejectReasons).filter(([r]) => !/stale/i.test(r));
    const staleByPool = Object.entries(s.rejectReasons).filter(([r]) => /stale/i.test(r)).reduce((n, [, v]) => n + v, 0);
    expect(c.sharesFound, JSON.stringify({ stats: s, counters: c })).toBe(s.accepted + s.stale + s.rejected + s.unanswered + refusedBeforeSending + miner.client.queuedShares);
    expect(rejectedOther, 'rejections other than stale').toEqual([]);
    expect(s.unanswered).toBe(0);
    expect(miner.client.queuedShares).toBe(0);
    expect(refusedBeforeSending).toBe(0);
    expect(s.rejected).toBe(staleByPool);
    // The pools accepted every share the miner saw accepted (and a few whose answer a fault
    // swallowed: those the miner counted stale).
    const accepted = poolAccepted[0]! + poolAccepted[1]!;
    expect(accepted).toBeGreaterThanOrEqual(s.accepted);
    expect(accepted - s.accepted).toBeLessThanOrEqual(s.stale);
    // A day of mining at ~1 share / 30 s (half as many in the hours at double difficulty).
    expect(s.accepted).toBeGreaterThan(1500);
    expect(poolAccepted[1]).toBeGreaterThan(0); // the backup pool carried the failover

    // After the last fault: back on the primary, at its difficulty, shares accepted.
    const after = events.filter((e) => e.at > lastFaultAt);
    expect(after.filter((e) => e.type === 'share' && e.verdict === 'accepted').length).toBeGreaterThan(10);
    expect(net.connected(PRIMARY)).toBe(true);
    expect(miner.client.difficulty).toBe(DIFFICULTY * 2); // hour 21's change (the 7th: odd → 2×)

    // Reconnect latency: from each disconnect to the next job.
    const latencies: number[] = [];
    for (let i = 0; i < events.length; i++) {
      if (events[i]!.type !== 'disconnected') continue;
      const next = events.slice(i + 1).find((e) => e.type === 'job');
      if (next) latencies.push(next.at - events[i]!.at);
    }
    latencies.sort((a, b) => a - b);
    const report = {
      simulatedHours: 24,
      sharesFound: c.sharesFound,
      accepted: s.accepted,
      staleByMiner: s.stale,
      staleByPool,
      droppedForCleanJobs: c.staleDropped,
      poolAccepted,
      reconnects: latencies.length,
      reconnectMs: { median: latencies[latencies.length >> 1], p95: latencies[Math.floor(latencies.length * 0.95)], max: latencies[latencies.length - 1] },
      faults: injected,
      refusedConnections: net.stats.refused,
    };
    console.log('soak:', JSON.stringify(report));
    // Outside the two outages, a reconnect takes a few seconds of backoff, never minutes.
    expect(report.reconnectMs.median).toBeLessThan(10_000);

    await miner.stop();
    link.close();
    pools.forEach((p) => p.halt());
  }, 600_000);
});
