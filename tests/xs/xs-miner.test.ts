/**
 * The firmware's controller on the real XS engine (xsnap): the Miner, the Stratum client, the
 * work math and the core driver run on XS; this process only moves bytes (TCP to the local
 * pool, SPI frames to the model core) and fires timers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADDRESS } from '../../host/cli/commands/pool.ts';
import { keepAliveClock } from '../../host/platform/node.ts';
import { LocalPool, type PoolEvent } from '../../host/pool/server.ts';
import { startXsMiner, type XsMiner } from '../../host/xs/xs-miner.ts';
import { ModelLink } from '../../src/core/model/model-link.ts';
import { consoleLine, parseConsoleLine } from '../../src/app/console-line.ts';
import { showLine } from '../../host/cli/commands/serial.ts';

let pool: LocalPool;
let link: ModelLink;
let miner: XsMiner;
const events: Array<{ type: string; [k: string]: unknown }> = [];
const poolEvents: PoolEvent[] = [];
const logs: string[] = [];

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; events: ${events.map((e) => e.type).join(' ')}; logs: ${logs.join(' | ')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  pool = new LocalPool({ port: 0, address: DEMO_ADDRESS, difficulty: 0.0005, chain: { difficulty: 1000, targetBlockSeconds: 600, retargetWindow: 10 } });
  pool.on('event', (e: PoolEvent) => poolEvents.push(e));
  const port = await pool.start();
  link = new ModelLink({ clock: keepAliveClock, defer: setImmediate });
  miner = await startXsMiner({
    poolUrl: `stratum+tcp://127.0.0.1:${port}`,
    user: `${DEMO_ADDRESS}.xs`,
    link,
    onEvent: (e) => events.push(e),
    onLog: (level, text) => logs.push(`${level}: ${text}`),
    consoleStatusSeconds: 2,
  });
}, 300_000);

afterAll(async () => {
  await miner?.stop();
  link?.close();
  await pool?.stop();
});

describe('the miner on real XS (xsnap)', () => {
  it('self-tests the core, joins the pool and gets shares accepted', async () => {
    await until(() => events.filter((e) => e.type === 'share' && e.verdict === 'accepted').length >= 3, 40_000, 'three accepted shares');
    expect(events.find((e) => e.type === 'core-ready')).toMatchObject({ selfTest: true });
    const st = (await miner.status())!;
    expect(st.state).toBe('mining');
    expect(st.core.hardwareErrors).toBe(0);
    expect(st.shares.rejected).toBe(0);
    expect(st.hashRate.counter.m1).toBeGreaterThan(0);
    expect(poolEvents.filter((e) => e.event === 'share').every((e) => e.event === 'share' && e.accepted)).toBe(true);
  }, 300_000);

  it('writes its status on the console as `kilohash serial monitor` reads it', async () => {
    // The lines as boot.ts writes them to the console, read back as the monitor reads them.
    const statusLines = () => logs.filter((l) => l.startsWith('info: ')).map((l) => parseConsoleLine(consoleLine('info', l.slice('info: '.length)).trimEnd())).filter((l) => l.kind === 'status');
    await until(() => statusLines().length > 0, 60_000, 'a status line');
    expect(showLine(statusLines()[0]!)).toMatch(/^mining · [\d.]+ [kM]?H\/s/);
  }, 120_000);

  it('switches to a clean job and reports what it cost XS', async () => {
    const before = miner.cost.cleanJobComputrons.length;
    (pool as unknown as { makeJob(clean: boolean): void }).makeJob(true);
    await until(() => miner.cost.cleanJobComputrons.length > before, 60_000, 'the clean job switch');
    const accepted = events.filter((e) => e.type === 'share' && e.verdict === 'accepted').length;
    await until(() => events.filter((e) => e.type === 'share' && e.verdict === 'accepted').length > accepted, 120_000, 'a share on the new job');
    expect(miner.cost.cleanJobComputrons.at(-1)!).toBeGreaterThan(0);
    expect(miner.cost.maxHeapCount).toBeGreaterThan(0);
    // A share found on the old job can cross the clean notify on the wire; the pool calls it
    // stale, which is the pool's verdict on timing, not a fault. Anything else is.
    const faults = poolEvents.filter((e) => e.event === 'share' && !e.accepted && e.reason !== 'Stale');
    expect(faults).toEqual([]);
  }, 300_000);

  it('takes settings over its console commands, with the settings rules', async () => {
    expect(await miner.console('not a command')).toBeNull();
    expect(await miner.console('kh set power lots')).toMatchObject({ ok: false, fields: { power: expect.stringMatching(/^power /) } });
    expect(await miner.console('kh set feesBtc 0.05')).toEqual({ ok: true, staged: 'feesBtc' });
    expect(await miner.console('kh save')).toMatchObject({ ok: true, settings: { feesBtc: 0.05 } });
    expect(await miner.console('kh show')).toMatchObject({ ok: true, settings: { feesBtc: 0.05, stratumPassword: true } });
  }, 60_000);
});
