/**
 * The firmware's heap across a simulated day on real XS (xsnap): the same day as
 * tests/miner/soak.test.ts — faults of every kind, a pool restart, a failover and back — with
 * src/app's MinerApp running on XS and this process only moving bytes and firing timers, all
 * on the fake clock. The live heap after a collection, sampled every 10 minutes, must not grow
 * from the first hour to the last, and the miner must still be mining at the end.
 *
 * Opt-in (KILOHASH_SOAK_XS=1): every timer and byte crosses xsnap's command channel, so a day
 * takes tens of minutes. KILOHASH_SOAK_HOURS shortens it (default 24).
 */
import { describe, expect, it } from 'vitest';
import { startXsMiner } from '../../host/xs/xs-miner.ts';
import { HOUR, MINUTE, POOL_URLS, PacedModelLink, USER, soakDay } from '../helpers/soak-day.ts';

const enabled = process.env.KILOHASH_SOAK_XS === '1';
const hours = Number(process.env.KILOHASH_SOAK_HOURS ?? 24);

describe.skipIf(!enabled)('the firmware on XS through a simulated day (set KILOHASH_SOAK_XS=1: it takes tens of minutes)', () => {
  it('keeps its heap flat from the first hour to the last, and keeps mining', async () => {
    const day = soakDay();
    const link = new PacedModelLink(day.clock);
    const events: { type: string; at: number; [k: string]: unknown }[] = [];
    const miner = await startXsMiner({
      poolUrl: POOL_URLS[0]!,
      user: USER,
      link,
      clock: day.clock,
      transport: day.net.transport,
      settings: { fallbackStratumURL: POOL_URLS[1], fallbackStratumUser: USER, fallbackStratumPassword: 'x' },
      tuning: { pollMs: 1000, stratum: { backoff: { initialMs: 1000, maxMs: 30_000 }, returnToPrimaryMs: 10 * MINUTE } },
      onEvent: (e) => events.push({ ...e, at: day.clock.now() }),
    });
    try {
      const heap: number[] = [];
      for (let t = 0; t < hours * HOUR; t += 10 * MINUTE) {
        await day.run(10 * MINUTE, () => miner.idle(), 500);
        heap.push(await miner.liveHeap());
      }
      const firstHour = heap.slice(0, 6);
      const lastHour = heap.slice(-6);
      const accepted = events.filter((e) => e.type === 'share' && e.verdict === 'accepted');
      console.log('xs soak:', JSON.stringify({ heapFirstHour: firstHour, heapLastHour: lastHour, accepted: accepted.length, poolAccepted: day.poolAccepted, deliveries: miner.cost.deliveries }));
      expect(Math.max(...lastHour)).toBeLessThanOrEqual(Math.max(...firstHour) * 1.05);
      expect(accepted.length).toBeGreaterThan(hours * 50);
      expect(accepted.filter((e) => e.at > day.start + (hours - 1) * HOUR).length).toBeGreaterThan(10);
      expect((await miner.status())?.state).toBe('mining');
    } finally {
      await miner.stop();
      link.close();
      day.stop();
    }
  }, 4 * 3_600_000);
});
