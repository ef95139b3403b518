/**
 * The miner end to end on loopback: the local pool ⇄ the firmware's Miner ⇄ the model core
 * (and once the RTL), through real TCP, the real driver and the real share checks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../src/config/settings.ts';
import type { MinerEvent } from '../../src/miner/miner.ts';
import { LocalPool, type PoolEvent } from '../../host/pool/server.ts';
import { MiningSession } from '../../host/miner/session.ts';
import { DEMO_ADDRESS } from '../../host/cli/commands/pool.ts';
import { simulatorAvailable } from '../../host/rtl/simulators.ts';
import { nodeTransport } from '../../host/platform/node.ts';
import type { TransportFactory } from '../../src/platform/interfaces.ts';
import type { VersionRule } from '../../src/work/version-rolling.ts';
import { hasSimulator } from '../helpers/simulators.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

async function startPool(o: { difficulty?: number; chainDifficulty?: number; jobIntervalSeconds?: number; jobVersion?: number; versionRule?: VersionRule } = {}) {
  const pool = new LocalPool({
    ...(o.jobVersion !== undefined ? { jobVersion: o.jobVersion } : {}),
    ...(o.versionRule !== undefined ? { quirks: { versionRule: o.versionRule } } : {}),
    port: 0,
    address: DEMO_ADDRESS,
    difficulty: o.difficulty ?? 0.0005,
    chain: { difficulty: o.chainDifficulty ?? 1000, targetBlockSeconds: 600, retargetWindow: 10 },
    jobIntervalSeconds: o.jobIntervalSeconds ?? 30,
  });
  const events: PoolEvent[] = [];
  pool.on('event', (e: PoolEvent) => events.push(e));
  const port = await pool.start();
  cleanups.push(() => pool.stop());
  return { pool, events, url: `stratum+tcp://127.0.0.1:${port}` };
}

/** Stratum lines as the miner sent and received them, in the order the miner saw them. */
type WireLine = { dir: 'sent' | 'received'; message: { id?: unknown; method?: string; params?: unknown[] } };

function tappedTransport(wire: WireLine[]): TransportFactory {
  return (o) => {
    const pending = { sent: '', received: '' };
    const record = (dir: WireLine['dir'], data: Uint8Array) => {
      const lines = (pending[dir] + new TextDecoder().decode(data)).split('\n');
      pending[dir] = lines.pop()!;
      for (const line of lines) if (line.trim() !== '') wire.push({ dir, message: JSON.parse(line) });
    };
    const inner = nodeTransport({ ...o, onData: (d) => { record('received', d); o.onData(d); } });
    return { write: (d) => { record('sent', d); inner.write(d); }, close: () => inner.close() };
  };
}

async function startMiner(url: string, extra: Partial<Settings> = {}, core: 'model' | 'verilator' = 'model', wire?: WireLine[]) {
  const events: MinerEvent[] = [];
  const session = await MiningSession.start({
    ...(wire ? { transport: tappedTransport(wire) } : {}),
    settings: { ...DEFAULT_SETTINGS, stratumURL: url, stratumUser: `${DEMO_ADDRESS}.test`, ...extra },
    core: { kind: core },
    engines: core === 'verilator' ? 2 : 1,
    onEvent: (e) => events.push(e),
    stratum: { backoff: { initialMs: 20, maxMs: 200 } },
  });
  cleanups.push(() => session.stop());
  return { session, events };
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('miner end to end (local pool ⇄ miner ⇄ model core)', () => {
  it('finds shares, submits them and gets them accepted; the counter rate is real', async () => {
    const { events: poolEvents, url } = await startPool();
    const { session, events } = await startMiner(url);
    await until(() => events.filter((e) => e.type === 'share' && e.verdict === 'accepted').length >= 3, 120_000, 'three accepted shares');
    const st = session.status();
    expect(st.state).toBe('mining');
    expect(st.shares.accepted).toBeGreaterThanOrEqual(3);
    expect(st.shares.rejected).toBe(0);
    expect(st.core.hardwareErrors).toBe(0);
    expect(st.core.hashes).toBeGreaterThan(100_000);
    expect(st.hashRate.counter.m1).toBeGreaterThan(0);
    expect(st.bestDifficulty.session).toBeGreaterThanOrEqual(0.0005);
    expect(st.network?.difficulty).toBeCloseTo(1000, 0);
    expect(st.odds!.perDay).toBeGreaterThan(0);
    // A regtest payout address: a local chain, whose block time and coin value the miner cannot know.
    expect(st.network).toMatchObject({ kind: 'regtest', label: expect.stringMatching(/local chain/), hashRate: null });
    expect(st.energy).toMatchObject({ expectedValuePerDay: null, breakEvenPricePerKwh: null });
    // The pool agrees: every share it saw from us was accepted.
    const shares = poolEvents.filter((e) => e.event === 'share');
    expect(shares.length).toBeGreaterThanOrEqual(3);
    expect(shares.every((e) => e.event === 'share' && e.accepted)).toBe(true);
    // Self-test ran on the way in.
    expect(events.find((e) => e.type === 'core-ready')).toMatchObject({ selfTest: { ok: true } });
  });

  it('switches the core to a clean job at once and submits nothing from the old one', async () => {
    const { pool, events: poolEvents, url } = await startPool({ difficulty: 0.0002 });
    const wire: WireLine[] = [];
    const { session, events } = await startMiner(url, {}, 'model', wire);
    await until(() => events.some((e) => e.type === 'share' && e.verdict === 'accepted'), 30_000, 'a first share');
    const switchesBefore = events.filter((e) => e.type === 'job-switch').length;
    const wireBefore = wire.length;
    (pool as unknown as { makeJob(clean: boolean): void }).makeJob(true);
    await until(() => events.filter((e) => e.type === 'job-switch').length > switchesBefore, 60_000, 'the job switch');
    const sw = events.filter((e) => e.type === 'job-switch').at(-1)!;
    expect(sw.type === 'job-switch' && sw.latencyMs).toBeLessThan(1000);
    await until(() => events.filter((e) => e.type === 'share' && e.verdict === 'accepted').length >= 4, 120_000, 'shares on the new job');
    // After the miner read the clean notify it sent shares of the new job only.
    const cleanAt = wire.findIndex((l, i) => i >= wireBefore && l.dir === 'received' && l.message.method === 'mining.notify' && l.message.params?.[8] === true);
    expect(cleanAt).toBeGreaterThan(0);
    const newJob = wire[cleanAt]!.message.params![0];
    const submits = wire.map((l, i) => ({ ...l, i })).filter((l) => l.dir === 'sent' && l.message.method === 'mining.submit');
    const lateOld = submits.filter((l) => l.i > cleanAt && l.message.params![1] !== newJob);
    expect(lateOld).toEqual([]);
    // A share already on the wire when the notify was sent crosses it, and the pool calls it
    // stale: that is timing, not a fault. Only such crossings may be refused.
    const answeredBefore = new Set(wire.slice(0, wireBefore).filter((l) => l.dir === 'received').map((l) => l.message.id));
    const crossed = submits.filter((l) => l.i < cleanAt && !answeredBefore.has(l.message.id)).length;
    const rejected = poolEvents.filter((e) => e.event === 'share' && !e.accepted);
    expect(rejected.every((e) => e.event === 'share' && e.reason === 'Stale' && e.jobId !== newJob)).toBe(true);
    expect(rejected.length).toBeLessThanOrEqual(crossed);
    expect(session.status().jobSwitch.count).toBeGreaterThanOrEqual(2);
  });

  it('submits a block candidate first and the pool takes the block', async () => {
    // A network difficulty the model reaches in seconds: every share has a fair chance of being a block.
    const { events: poolEvents, url } = await startPool({ difficulty: 0.0002, chainDifficulty: 0.002 });
    const { session, events } = await startMiner(url);
    await until(() => poolEvents.some((e) => e.event === 'block'), 60_000, 'a block');
    await until(() => events.some((e) => e.type === 'block-candidate'), 60_000, 'the miner to report it');
    expect(session.status().shares.blockCandidates).toBeGreaterThanOrEqual(1);
  }, 240_000);

  it.each(['xor', 'or'] as const)('rolls versions on jobs that signal bit 28 (30000000) and a %s pool accepts every share', async (rule) => {
    const { events: poolEvents, url } = await startPool({ difficulty: 0.00002, jobVersion: 0x30000000, versionRule: rule });
    const wire: WireLine[] = [];
    const { session } = await startMiner(url, {}, 'model', wire);
    // A short span per header, so the miner reaches rolled versions within seconds.
    session.miner.source.noncesPerHeader = 1 << 15;
    const submitted = () => wire.filter((l) => l.dir === 'sent' && l.message.method === 'mining.submit').map((l) => Number.parseInt(String(l.message.params![5]), 16));
    const accepted = () => poolEvents.filter((e) => e.event === 'share' && e.accepted).length;
    const refused = () => poolEvents.some((e) => e.event === 'share' && !e.accepted);
    await until(() => refused() || (new Set(submitted().filter((b) => b !== 0)).size >= 3 && accepted() >= submitted().length), 60_000, 'shares on three rolled versions, answered');
    expect(poolEvents.filter((e) => e.event === 'share' && !e.accepted)).toEqual([]);
    // Never the job's own bit: the submitted field is header ^ job, inside the rollable bits.
    for (const bits of submitted()) expect(bits & ~0x0fffe000).toBe(0);
    expect(session.status().core.hardwareErrors).toBe(0);
  }, 240_000);

  it('stops with a clear error when the pool refuses the worker (not an address on a solo pool)', async () => {
    const { url } = await startPool();
    const { session, events } = await startMiner(url, { stratumUser: 'not-an-address.rig1' });
    await until(() => events.some((e) => e.type === 'auth-failed'), 60_000, 'the refusal');
    expect(session.status().state).toBe('auth-failed');
    expect(session.status().pool.error).toMatch(/address|unauthori/i);
  });

  it.skipIf(!hasSimulator('verilator'))('mines on the RTL under Verilator as well', async () => {
    const { url } = await startPool({ difficulty: 0.00002 });
    const { session, events } = await startMiner(url, {}, 'verilator');
    await until(() => events.some((e) => e.type === 'share' && e.verdict === 'accepted'), 60_000, 'an accepted share from the RTL');
    expect(session.status().core.hardwareErrors).toBe(0);
    expect(session.status().core.engines).toBe(2);
  }, 240_000);
});
