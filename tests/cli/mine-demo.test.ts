import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalPool } from '../../host/pool/server.ts';
import { DEMO_ADDRESS } from '../../host/cli/commands/pool.ts';
import { kilohash, kilohashAsync } from '../helpers/cli.ts';

const lines = (s: string) => s.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown> & { event: string });

describe('kilohash demo (what npm start runs)', () => {
  it('runs pool, miner and model core, serves the dashboard, and stops by itself after --shares', async () => {
    // Waits for the event (a generous --duration caps it), not a fixed time that a loaded machine may need more than.
    const r = await kilohashAsync(['demo', '--shares', '1', '--duration', '150', '--json', '--http', '0'], 180_000);
    expect(r.code, r.stderr).toBe(0);
    const ev = lines(r.stdout);
    expect(ev.find((e) => e.event === 'demo')).toMatchObject({
      event: 'demo', dashboard: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/), page: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/), miners: 3,
    });
    expect(ev.some((e) => e.event === 'core-ready')).toBe(true);
    expect(ev.some((e) => e.event === 'share' && e.verdict === 'accepted')).toBe(true);
    const summary = ev.at(-1)!;
    expect(summary.event).toBe('summary');
    expect((summary.shares as { accepted: number }).accepted).toBeGreaterThan(0);
    expect((summary.core as { hardwareErrors: number }).hardwareErrors).toBe(0);
  }, 180_000);

  it('prints a readable run without --json', async () => {
    const r = await kilohashAsync(['demo', '--duration', '3', '--http', '0'], 60_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/web dashboard: http:\/\/127\.0\.0\.1:\d+\//);
    expect(r.stdout).toMatch(/pool page: +http:\/\/127\.0\.0\.1:\d+\/ \(controls off/);
    expect(r.stdout).toMatch(/demo stopped after \d+ s: \d+ shares accepted/); // any count: only the format is asserted
  }, 60_000);
});

describe('kilohash mine', () => {
  let pool: LocalPool;
  let url: string;
  beforeAll(async () => {
    pool = new LocalPool({ port: 0, address: DEMO_ADDRESS, difficulty: 0.0005, chain: { difficulty: 1000, targetBlockSeconds: 600, retargetWindow: 10 } });
    url = `stratum+tcp://127.0.0.1:${await pool.start()}`;
  });
  afterAll(() => pool.stop());

  it('mines against a pool until --shares are accepted: events and status objects in JSON; keeps the best difficulty', async () => {
    const state = join(mkdtempSync(join(tmpdir(), 'kilohash-')), 'state.json');
    const r = await kilohashAsync(['mine', '--pool', url, '--user', `${DEMO_ADDRESS}.cli`, '--shares', '2', '--duration', '150', '--interval', '1', '--json', '--state', state], 180_000);
    expect(r.code, r.stderr).toBe(0);
    const ev = lines(r.stdout);
    expect(ev.some((e) => e.event === 'connected')).toBe(true);
    expect(ev.some((e) => e.event === 'share' && e.verdict === 'accepted')).toBe(true);
    expect(ev.filter((e) => e.event === 'share' && e.verdict === 'accepted').length).toBeGreaterThanOrEqual(2);
    const statuses = ev.filter((e) => e.event === 'status');
    expect(statuses.length).toBeGreaterThanOrEqual(1); // one per interval, and always one at the end
    const last = statuses.at(-1)!;
    expect(last).toMatchObject({ state: 'mining', pool: { url, user: `${DEMO_ADDRESS}.cli` } });
    const best = (last.bestDifficulty as { ever: number }).ever;
    expect(Number((JSON.parse(readFileSync(state, 'utf8')) as { bestDiff: string }).bestDiff)).toBe(best);
  }, 180_000);

  it('says why and exits 1 when the pool refuses the worker', async () => {
    const r = await kilohashAsync(['mine', '--pool', url, '--user', 'not-an-address', '--duration', '20', '--no-state'], 60_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refused worker 'not-an-address'.*address/i);
  }, 60_000);

  it('says why and exits 1 when the pool cannot be reached', async () => {
    const r = await kilohashAsync(['mine', '--pool', 'stratum+tcp://127.0.0.1:1', '--user', DEMO_ADDRESS, '--connect-timeout', '1', '--no-state'], 60_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot reach the pool at stratum\+tcp:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
  }, 60_000);

  it.each([
    [['mine', '--user', DEMO_ADDRESS], /--pool/],
    [['mine', '--pool', 'http://example.com', '--user', DEMO_ADDRESS], /--pool: .*scheme/],
    [['mine', '--pool', 'stratum+tcp://host:99999', '--user', DEMO_ADDRESS], /--pool/],
    [['mine', '--pool', 'stratum+tcp://host:3333'], /--user/],
    [['mine', '--pool', 'stratum+tcp://host:3333', '--user', DEMO_ADDRESS, '--api-password', 'short'], /adminPassword/],
    [['mine', '--pool', 'stratum+tcp://host:3333', '--user', DEMO_ADDRESS, '--core', 'asic'], /--core/],
  ])('refuses %j with exit 2', (args, message) => {
    const r = kilohash(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
