import { afterEach, describe, expect, it } from 'vitest';
import { LocalPool, type PoolEvent, type PoolOptions } from '../../host/pool/server.ts';
import { startTestMiner, type TestMiner } from '../helpers/test-miner.ts';
import type { StratumEvent } from '../../src/stratum/events.ts';

const ADDRESS = 'bcrt1qqurswpc8qurswpc8qurswpc8qurswpc8dxm0gk';
const EASY = 0.0001; // ~430k hashes per share: a fraction of a second

let pool: LocalPool | null = null;
let miner: TestMiner | null = null;

afterEach(async () => {
  miner?.stop();
  miner = null;
  await pool?.stop();
  pool = null;
});

async function setup(opts: Partial<PoolOptions> = {}, client: Parameters<typeof startTestMiner>[2] = {}) {
  pool = new LocalPool({
    port: 0,
    address: ADDRESS,
    difficulty: EASY,
    chain: { difficulty: 1000, targetBlockSeconds: 60, retargetWindow: 5 },
    ...opts,
  });
  const poolEvents: PoolEvent[] = [];
  pool.on('event', (e: PoolEvent) => poolEvents.push(e));
  const port = await pool.start();
  miner = startTestMiner(`stratum+tcp://127.0.0.1:${port}`, `${ADDRESS}.rig1`, client);
  return { pool, miner, poolEvents };
}

const has = (type: StratumEvent['type']) => (events: StratumEvent[]) => events.some((e) => e.type === type);
const count = (events: StratumEvent[], pred: (e: StratumEvent) => boolean) => events.filter(pred).length;
const accepted = (n: number) => (events: StratumEvent[]) => count(events, (e) => e.type === 'share' && e.verdict.kind === 'accepted') >= n;

describe('client ⇄ local pool over loopback', () => {
  it('completes a session and gets shares accepted, with version rolling negotiated', async () => {
    const { miner, poolEvents } = await setup();
    await miner.until(has('authorized'));
    await miner.until(has('job'));
    expect(miner.client.versionMask).toBe(0x1fffe000);
    await miner.mine(3);
    await miner.until(accepted(3));
    expect(miner.client.stats.accepted).toBe(3);
    expect(miner.client.stats.rejected).toBe(0);
    expect(poolEvents.filter((e) => e.event === 'share' && e.accepted)).toHaveLength(3);
  });

  it('rejects a duplicate with the pool reason in every error shape pools use', async () => {
    for (const errorStyle of ['array', 'pair', 'string', 'jsonrpc2', 'reject-reason'] as const) {
      const { miner } = await setup({ quirks: { errorStyle } });
      await miner.until(has('authorized'));
      await miner.until(has('job'));
      const [share] = await miner.mine(1);
      miner.client.submit(share!);
      await miner.until((ev) => ev.some((e) => e.type === 'share' && e.verdict.kind === 'rejected'));
      expect(miner.client.stats.rejectReasons, errorStyle).toEqual({ 'Duplicate share': 1 });
      miner.stop();
      await pool!.stop();
    }
  });

  it.each([
    ['single-pair subscribe result', { subscribeShape: 'single-pair' as const }],
    ['null subscriptions', { subscribeShape: 'null' as const }],
    ['no mining.configure support', { configure: 'unknown' as const }],
    ['set_version_mask before anything', { earlyVersionMask: true }],
    ['jobs only after authorize', { jobsBeforeAuthorize: false }],
    ['slow replies', { replyDelayMs: 150 }],
    ['suggest_difficulty ignored', { suggestDifficulty: 'ignore' as const }],
  ])('works with %s', async (_name, quirks) => {
    const { miner } = await setup({ quirks }, { suggestDifficulty: 0.0002 });
    await miner.until(has('authorized'));
    await miner.until(has('job'));
    await miner.mine(2);
    await miner.until(accepted(2));
    expect(miner.client.stats.rejected).toBe(0);
  });

  it('a pool that hangs up on mining.configure is retried without it', async () => {
    const { miner } = await setup({ quirks: { configure: 'close' } });
    await miner.until(has('authorized'));
    expect(miner.client.versionMask).toBe(0);
    await miner.mine(1);
    await miner.until(accepted(1));
  });

  it('a pool that hangs up on suggest_difficulty: dropped after two hang-ups in a row and an attempt without it that stays up', async () => {
    const { miner } = await setup({ quirks: { suggestDifficulty: 'close' } }, { suggestDifficulty: 0.001 });
    // The pool hangs up as soon as the suggestion (sent before authorize) arrives.
    await miner.until(has('authorized'));
    expect(count(miner.events, (e) => e.type === 'disconnected')).toBe(2);
    await miner.mine(1);
    await miner.until(accepted(1));
  });

  it('public-pool style (the suggestion is never answered, taken only before authorize): kept on every connection', async () => {
    const { pool: p, miner } = await setup(
      { quirks: { suggestDifficulty: 'silent', jobsBeforeAuthorize: false, unsuggestedDifficulty: 1000 } },
      { suggestDifficulty: 0.0002 },
    );
    for (let round = 0; round < 3; round++) {
      await miner.until((ev) => count(ev, (e) => e.type === 'authorized') > round);
      // The job that follows this authorization carries the difficulty the suggestion set.
      await miner.until((ev) => ev.slice(ev.map((e) => e.type).lastIndexOf('authorized')).some((e) => e.type === 'job'));
      expect(miner.client.difficulty).toBe(0.0002);
      await miner.mine(1);
      await miner.until(accepted(round + 1));
      p.dropConnections(); // a network blip, from the pool's side, while the suggestion is unanswered
    }
  });

  it('a suggested difficulty the pool answers is applied to later jobs', async () => {
    const { miner } = await setup({}, { suggestDifficulty: 0.0003 });
    await miner.until((ev) => ev.some((e) => e.type === 'job' && e.job.difficulty === 0.0003));
    await miner.mine(1);
    await miner.until(accepted(1));
  });

  it('reports a refused authorization with the pool message', async () => {
    pool = new LocalPool({ port: 0, address: ADDRESS, difficulty: EASY, chain: { difficulty: 1, targetBlockSeconds: 60, retargetWindow: 5 } });
    const port = await pool.start();
    miner = startTestMiner(`stratum+tcp://127.0.0.1:${port}`, 'not-an-address.rig');
    await miner.until(has('auth-failed'));
    const e = miner.events.find((x) => x.type === 'auth-failed');
    expect(e?.type === 'auth-failed' && e.error?.message).toMatch(/Invalid Bitcoin address 'not-an-address'/);
  });

  it('works with extranonce sizes from 0 to 16 and fractional difficulty', async () => {
    for (const [en1, en2] of [[0, 0], [0, 16], [16, 1], [2, 8]] as const) {
      const { miner } = await setup({ extranonce1Size: en1, extranonce2Size: en2, difficulty: 0.00015 });
      await miner.until(has('job'));
      await miner.until(has('authorized'));
      expect(miner.client.currentJob!.extranonce2Size).toBe(en2);
      await miner.mine(1);
      await miner.until(accepted(1));
      miner.stop();
      await pool!.stop();
    }
  });

  it('follows client.reconnect back to the same host and keeps mining', async () => {
    const { miner, pool } = await setup();
    await miner.until(has('authorized'));
    pool.reconnectAll(0, 'evil.example', 1);
    await miner.until((ev) => count(ev, (e) => e.type === 'authorized') >= 2);
    await miner.mine(1);
    await miner.until(accepted(1));
  });

  it('a block found moves the chain and sends a clean job; a share for the old job is stale', async () => {
    const { miner, pool, poolEvents } = await setup({ chain: { difficulty: EASY, targetBlockSeconds: 60, retargetWindow: 2 } });
    await miner.until(has('authorized'));
    await miner.until(has('job'));
    const oldJob = miner.client.currentJob!;
    const [share] = await miner.mine(1);
    expect(share!.isBlockCandidate).toBe(true);
    await miner.until(accepted(1));
    await miner.until((ev) => ev.some((e) => e.type === 'job' && e.clean && e.job.job.jobId !== oldJob.job.jobId));
    expect(poolEvents.some((e) => e.event === 'block')).toBe(true);
    expect(pool.chain.height).toBe(2);
    expect(miner.client.submit({ ...share!, nonce: share!.nonce + 1 })).toEqual({ kind: 'stale', reason: 'job no longer valid' });
  });
});
