import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, applySettings, loadSettings, publicSettings } from '../../src/config/settings.ts';
import { blockProbability, breakEvenPricePerKwh, coinbaseHeight, economics, expectedSecondsToBlock, kwhPerBlock, networkHashRate, subsidyBtc } from '../../src/miner/economics.ts';
import { payoutNetwork } from '../../src/miner/network.ts';
import { DASHBOARD_BUDGET_BYTES, DASHBOARD_HTML } from '../../src/ui/dashboard.ts';
import { workSizeFor } from '../../src/miner/miner.ts';
import { RateWindows } from '../../src/miner/rate-window.ts';
import { formatDifficulty } from '../../src/miner/status.ts';
import { WorkSource, coreThresholdBits } from '../../src/miner/work-source.ts';
import type { ActiveJob } from '../../src/stratum/job-book.ts';
import { hexToBytes, readU32LE } from '../../src/work/bytes.ts';
import { NonceHasher } from '../../src/work/nonce-hasher.ts';
import { difficultyToTarget, hashMeetsTarget } from '../../src/work/target.ts';
import { leadingZeroBits } from '../../src/work/target.ts';
import jobs from '../fixtures/jobs.json' with { type: 'json' };
import { parseNotifyParams } from '../../src/stratum/notify.ts';

describe('economics', () => {
  it('relates difficulty, network hash rate and odds the way Bitcoin does', () => {
    // Difficulty 1 at one block per 600 s is 2^32 / 600 hashes per second.
    expect(networkHashRate(1)).toBeCloseTo(2 ** 32 / 600, 6);
    // A miner with the whole network's hash rate expects a block every 600 s.
    expect(expectedSecondsToBlock(networkHashRate(1e12), 1e12)).toBeCloseTo(600, 6);
    // Tiny odds keep their precision (1 - e^-x for small x ≈ x).
    const p = blockProbability(1e6, 1e14, 86400);
    expect(p).toBeCloseTo((1e6 * 86400) / (1e14 * 2 ** 32), 20);
    expect(blockProbability(0, 1e14, 86400)).toBe(0);
  });

  it('knows the subsidy schedule and reads the height from a BIP34 coinbase', () => {
    expect(subsidyBtc(0)).toBe(50);
    expect(subsidyBtc(210_000)).toBe(25);
    expect(subsidyBtc(840_000)).toBe(3.125);
    // The May 2023 Braiins job: BIP34 puts the height right after the script length.
    const job = parseNotifyParams(jobs.slush2023.notify.params);
    const h = coinbaseHeight(job.coinb1)!;
    expect(h).toBeGreaterThan(785_000);
    expect(h).toBeLessThan(795_000);
  });

  it('prices energy against expected value', () => {
    const e = economics({ hashRate: 1e6, networkDifficulty: 1e14, height: 900_000, feesBtc: 0.1, watts: 3, pricePerKwh: 0.25, coinPrice: 100_000 });
    expect(e.costPerDay).toBeCloseTo(0.018, 9);
    expect(e.blockRewardBtc).toBeCloseTo(3.225, 9);
    expect(e.expectedValuePerDay).toBeCloseTo(((1e6 * 86400) / (1e14 * 2 ** 32)) * 3.225 * 100_000, 12);
    expect(e.joulesPerTerahash).toBeCloseTo(3e6, 3);
  });

  it('prices the break-even electricity: the energy of an expected block costs what the block is worth', () => {
    // 1 MH/s at difficulty 1e6: a block every 2^32 s ≈ 136 years; 3 W over that time.
    const kwh = kwhPerBlock(3, 1e6, 1e6)!;
    expect(kwh).toBeCloseTo((3 * 2 ** 32) / 3.6e6, 6);
    expect(breakEvenPricePerKwh(1000, 3, 1e6, 1e6)! * kwh).toBeCloseTo(1000, 9);
    expect(breakEvenPricePerKwh(1000, 3, 0, 1e6)).toBeNull();
    expect(breakEvenPricePerKwh(1000, 0, 1e6, 1e6)).toBe(Infinity);
  });
});

describe('the network a payout address is on', () => {
  it.each([
    ['bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq.rig', 'main'],
    ['1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', 'main'],
    ['3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 'main'],
    ['tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx', 'test'],
    ['mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn', 'test'],
    ['2MzQwSSnBHWHqSAqtTVQ6v47XtaisrJa1Vc', 'test'],
    ['bcrt1qqurswpc8qurswpc8qurswpc8qurswpc8dxm0gk.demo', 'regtest'],
    ['BCRT1QQURSWPC8QURSWPC8QURSWPC8QURSWPC8DXM0GK', 'regtest'],
    ['myaccount.worker1', 'unknown'],
    ['', 'unknown'],
  ])('%s is %s', (user, kind) => {
    expect(payoutNetwork(user)).toBe(kind);
  });
});

describe('the dashboard', () => {
  it(`fits its flash budget (${DASHBOARD_BUDGET_BYTES} bytes)`, () => {
    expect(new TextEncoder().encode(DASHBOARD_HTML).length).toBeLessThanOrEqual(DASHBOARD_BUDGET_BYTES);
  });
});

describe('rate windows', () => {
  it('gives the counter rate over each window from one-second samples', () => {
    const r = new RateWindows([{ spacingMs: 1000, capacity: 100 }]);
    for (let t = 0; t <= 90_000; t += 250) r.sample(t, t < 45_000 ? t * 10 : 450_000 + (t - 45_000) * 20);
    expect(r.rate(10_000)).toBeCloseTo(20_000, -1);
    expect(r.rate(90_000)).toBeCloseTo(15_000, -2);
  });

  it('measures 1 min, 10 min and 1 h from tiers of samples, each window from its own ring', () => {
    const r = new RateWindows();
    // 1000 H/s for the first 30 minutes, then 3000 H/s, sampled every 50 ms as the miner does.
    const at = (t: number) => (t <= 1_800_000 ? t : 1_800_000 + (t - 1_800_000) * 3);
    for (let t = 0; t <= 3_600_000; t += 50) r.sample(t, at(t));
    expect(r.rate(60_000)).toBeCloseTo(3000, 0);
    expect(r.rate(600_000)).toBeCloseTo(3000, 0);
    // The hour ring's oldest sample inside the hour is at most 90 s in: within 2 % of 2000.
    expect(Math.abs(r.rate(3_600_000) - 2000)).toBeLessThan(40);
    // Bounded: the default tiers hold 149 samples.
    const bytes = (r as unknown as { rings: { times: Float64Array; values: Float64Array }[] }).rings.reduce((n, g) => n + g.times.byteLength + g.values.byteLength, 0);
    expect(bytes).toBe(149 * 16);
  });
  it('is zero until there are two samples', () => {
    const r = new RateWindows();
    expect(r.rate(60_000)).toBe(0);
    r.sample(0, 5);
    expect(r.rate(60_000)).toBe(0);
  });
});

describe('settings', () => {
  it('refuses invalid fields with messages that name them, changing nothing', () => {
    const r = applySettings(DEFAULT_SETTINGS, { stratumURL: 'ftp://x', power: -3, adminPassword: 'short' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual(['adminPassword', 'power', 'stratumURL']);
    expect(applySettings(DEFAULT_SETTINGS, [1, 2]).ok).toBe(false);
  });
  it('falls back field by field from corrupted storage', () => {
    const s = loadSettings({ stratumUser: 'bc1qexample', power: 'lots', stratumURL: 42, junk: true });
    expect(s.stratumUser).toBe('bc1qexample');
    expect(s.power).toBe(DEFAULT_SETTINGS.power);
    expect(s.stratumURL).toBe(DEFAULT_SETTINGS.stratumURL);
    expect(loadSettings('not an object')).toEqual(DEFAULT_SETTINGS);
  });
  it('shows secrets only as set / not set', () => {
    const p = publicSettings({ ...DEFAULT_SETTINGS, stratumPassword: 'hunter2', adminPassword: '' });
    expect(p.stratumPassword).toBe(true);
    expect(p.adminPassword).toBe(false);
    expect(JSON.stringify(p)).not.toContain('hunter2');
  });
});

describe('work source', () => {
  const job = parseNotifyParams(jobs.slush2023.notify.params);
  const active = (over: Partial<ActiveJob> = {}): ActiveJob => ({
    job, extranonce1: hexToBytes(jobs.slush2023.extranonce1), extranonce2Size: 2, difficulty: 1, versionMask: 0x00006000, receivedAt: 0, ...over,
  });

  it('walks nonce pieces, then versions inside the mask, then extranonce2', () => {
    const src = new WorkSource();
    src.noncesPerWork = 2 ** 31;
    src.setJob(active(), true);
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      const w = src.next()!;
      seen.push(`${w.tag!.versionBits!.toString(16)}/${[...w.tag!.extranonce2].join('.')}/${w.first}`);
      // The header carries the rolled version; bits outside the mask are the job's.
      expect((readU32LE(w.header, 0) & ~0x6000) >>> 0).toBe((job.version & ~0x6000) >>> 0);
    }
    expect(seen).toEqual([
      '0/0.0/0', '0/0.0/2147483648', '2000/0.0/0', '2000/0.0/2147483648', '4000/0.0/0', '4000/0.0/2147483648',
      '6000/0.0/0', '6000/0.0/2147483648', '0/0.1/0', '0/0.1/2147483648',
    ]);
  });

  it.each([
    ['regtest signalling bit 28', 0x30000000, 0x1fffe000, ['30000000/0', '30002000/2000', '30004000/4000', '30006000/6000']],
    ['a pool-chosen bit inside a narrow mask', 0x20004000, 0x00006000, ['20004000/0', '20006000/2000', '20004000/0', '20006000/2000']],
  ])('rolls only the mask bits the job leaves clear (%s) and submits header ^ job', (_name, version, mask, expected) => {
    const src = new WorkSource();
    src.noncesPerWork = 2 ** 32;
    src.setJob(active({ job: { ...job, version }, versionMask: mask }), true);
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      const w = src.next()!;
      const hashed = readU32LE(w.header, 0);
      seen.push(`${hashed.toString(16)}/${w.tag!.versionBits!.toString(16)}`);
      expect(hashed & version).toBe(version | 0); // the job's own bits survive in every header
      expect((w.tag!.versionBits! ^ version) >>> 0).toBe(hashed); // XOR pools rebuild the header
      expect((w.tag!.versionBits! | version) >>> 0).toBe(hashed); // and so do OR pools
    }
    expect(seen).toEqual(expected);
  });

  it('noncesPerHeader moves to the next version early', () => {
    const src = new WorkSource();
    src.noncesPerWork = 1000;
    src.noncesPerHeader = 1500;
    src.setJob(active(), true);
    const pieces = Array.from({ length: 4 }, () => src.next()!).map((w) => `${w.tag!.versionBits!.toString(16)}:${w.first}-${w.last}`);
    expect(pieces).toEqual(['0:0-999', '0:1000-1499', '2000:0-999', '2000:1000-1499']);
  });

  it('a clean job starts a new generation; a plain new job does not', () => {
    const src = new WorkSource();
    src.setJob(active(), true);
    const g = src.currentGeneration;
    src.setJob(active(), false);
    expect(src.currentGeneration).toBe(g);
    src.setJob(active(), true);
    expect(src.currentGeneration).toBe(g + 1);
    src.clear();
    expect(src.next()).toBeUndefined();
  });

  it('asks the core for exactly the zero bits every share hash must have', () => {
    expect(coreThresholdBits(1)).toBe(32);
    expect(coreThresholdBits(1e6)).toBe(32);
    // Property: no hash that meets the share target has fewer zero bits than the core's threshold.
    const h = new NonceHasher(hexToBytes(jobs.genesis.expect.header));
    const out = new Uint8Array(32);
    for (const d of [0.5, 0.01, 0.0001, 3e-7]) {
      const bits = coreThresholdBits(d);
      const target = difficultyToTarget(d);
      for (let n = 0; n < 30_000; n++) {
        if (hashMeetsTarget(h.hash(n, out), target)) expect(leadingZeroBits(out)).toBeGreaterThanOrEqual(bits);
      }
    }
  });

  it('sizes work to about a second of the core', () => {
    expect(workSizeFor(2e6)).toBe(2 ** 21);
    expect(workSizeFor(10)).toBe(2 ** 12);
    expect(workSizeFor(1e12)).toBe(2 ** 32);
  });

  it('formats difficulty the way AxeOS does', () => {
    expect(formatDifficulty(4.29e9)).toBe('4.29G');
    expect(formatDifficulty(512e6)).toBe('512M');
    expect(formatDifficulty(1234)).toBe('1.23k');
  });
});
