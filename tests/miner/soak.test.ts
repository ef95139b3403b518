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
import { Miner, type MinerEvent } from '../../src/miner/miner.ts';
import { LINE_FAULTS } from '../../host/faults/memory-network.ts';
import { DAY, DIFFICULTY, HOUR, MINUTE, PRIMARY, POOL_URLS, PacedModelLink, USER, soakDay } from '../helpers/soak-day.ts';

describe('24-hour soak on a fake clock', () => {
  it('keeps mining through faults, a restart and a failover, and every share is accounted for', async () => {
    const day = soakDay();
    const { clock, net, poolAccepted, start } = day;
    const link = new PacedModelLink(clock);
    const events: (MinerEvent & { at: number })[] = [];
    const miner = new Miner({
      pools: POOL_URLS.map((url) => ({ url, user: USER, password: 'x' })),
      transport: net.transport,
      clock,
      link,
      pollMs: 500,
      stratum: { backoff: { initialMs: 1000, maxMs: 30_000 }, returnToPrimaryMs: 10 * MINUTE },
      onEvent: (e) => events.push({ ...e, at: clock.now() }),
    });

    const started = miner.start();
    const drain = () => new Promise<void>((r) => setImmediate(r));
    await day.run(DAY, drain);
    await started;
    // Settle: stop hashing, let answers in flight arrive.
    link.paused = true;
    await day.run(2 * MINUTE, drain);

    const s = miner.client.stats;
    const c = miner.counters;
    const injected = Object.fromEntries(net.stats.faults);
    // Every kind was injected 100 times, the last well before the end.
    for (const k of LINE_FAULTS) expect(injected[k], k).toBe(100);
    expect(day.lastFaultAt() - start).toBeLessThan(23 * HOUR + 30 * MINUTE);

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
    const after = events.filter((e) => e.at > day.lastFaultAt());
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
    day.stop();
  }, 600_000);
});
