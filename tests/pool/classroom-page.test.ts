/**
 * The classroom pool's page in real Chromium, with a room of real (simulated) miners: the
 * firmware's miner on paced model cores, mining on the pool over TCP. The page shows every
 * miner and the four relations, updates live, and reacts when a miner is unplugged from the
 * page: its row goes, the room's hash rate falls, and a later retarget lowers the difficulty.
 * Blocks are random: the test waits for each event with a generous timeout, never for a time.
 * Screenshots go to build/screenshots (docs/images with `npm run docs:screenshots`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { LocalPool } from '../../host/pool/server.ts';
import { startLessonServer, type LessonServer } from '../../host/pool/lesson-server.ts';
import { SimulatedRoom, classroomCoinPrice, simulatedMinerSpec } from '../../host/miner/simulated-room.ts';
import { DEMO_ADDRESS } from '../../host/cli/commands/pool.ts';
import { HASHES_PER_DIFFICULTY } from '../../src/miner/economics.ts';
import { CHROMIUM, launchChromium, screenshotPath } from '../helpers/chromium.ts';

const PASSWORD = 'teacher';
const BLOCK_SECONDS = 3;
const MINERS = 3;

describe.skipIf(!CHROMIUM)('the classroom pool page in headless Chromium', () => {
  let pool: LocalPool;
  let lesson: LessonServer;
  let room: SimulatedRoom;
  let browser: Browser;
  let page: Page;
  const specs = Array.from({ length: MINERS }, (_, i) => simulatedMinerSpec(i));
  const roomRate = specs.reduce((s, m) => s + m.hashesPerSecond, 0);

  beforeAll(async () => {
    pool = new LocalPool({
      port: 0,
      address: DEMO_ADDRESS,
      difficulty: 1e-5,
      vardiff: { targetSeconds: 1, windowSeconds: 4, minDifficulty: 1e-8, maxDifficulty: 1 },
      // Tuned to the room: a block every BLOCK_SECONDS while every miner hashes.
      chain: { difficulty: (roomRate * BLOCK_SECONDS) / HASHES_PER_DIFFICULTY, targetBlockSeconds: BLOCK_SECONDS, retargetWindow: 4, halvingInterval: 20 },
      jobIntervalSeconds: 10,
    });
    lesson = await startLessonServer(pool, {
      port: 0,
      controlPassword: PASSWORD,
      prices: { pricePerKwh: 0.3, coinPrice: classroomCoinPrice(specs, BLOCK_SECONDS, 50, 0.3) },
    });
    const port = await pool.start();
    room = new SimulatedRoom({ poolUrl: `stratum+tcp://127.0.0.1:${port}`, address: DEMO_ADDRESS });
    lesson.host.miners = room;
    for (let i = 0; i < MINERS; i++) await room.add();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await room?.stopAll();
    await lesson?.close();
    await pool?.stop();
  });

  const errors: string[] = [];
  const roomHashRate = async () => ((await (await fetch(`${lesson.url}api/miners`)).json()) as { roomHashRate: number }).roomHashRate;

  it('shows every miner, the blocks and the four relations, live', async () => {
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(lesson.url);
    // Evaluated in the page (strings, so this file needs no DOM types).
    await page.waitForFunction(`document.querySelectorAll('#miners tbody tr').length === ${MINERS}`, undefined, { timeout: 60_000 });
    await page.waitForFunction("[...document.querySelectorAll('#miners tbody tr')].every((r) => /[kM]H\\/s/.test(r.cells[1].textContent))", undefined, { timeout: 90_000 });
    // Blocks arrive and the page lists them; the height in the header follows.
    await page.waitForFunction("document.querySelectorAll('#blocks tbody tr').length >= 3", undefined, { timeout: 180_000 });
    const height = Number(await page.textContent('#height'));
    expect(height).toBeGreaterThanOrEqual(4);
    await page.waitForFunction(`Number(document.getElementById('height').textContent) > ${height}`, undefined, { timeout: 120_000 });
    const rows = await page.$$eval('#miners tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    const names = await page.$$eval('#miners tbody tr .w', (spans) => spans.map((w) => w.textContent));
    expect(names).toEqual(specs.map((s) => s.name)); // the worker, without the payout address
    expect(rows.map((r) => r[8])).toEqual(specs.map((s) => String(s.watts))); // declared in the password
    for (const r of rows) expect(r[10]).toMatch(/^\d/); // a break-even price for each
    expect(await page.textContent('#formula')).toMatch(/new D = D × target time ÷ actual time/);
    expect(await page.textContent('#supplynote')).toMatch(/Coins issued/);
    await page.screenshot({ path: screenshotPath('classroom-pool.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 300_000);

  it('refuses a control change with a wrong password, and applies one with the right one', async () => {
    await page.fill('[name=password]', 'wrong');
    await page.fill('[name=pricePerKwh]', '0.5');
    await page.click('#controls button[type=submit]');
    await page.waitForFunction("/wrong password/.test(document.getElementById('msg').textContent)", undefined, { timeout: 10_000 });
    expect(lesson.host.prices.pricePerKwh).toBe(0.3);
    // The wrong password made this client wait before the next is checked.
    await new Promise((r) => setTimeout(r, 1100));
    await page.fill('[name=password]', PASSWORD);
    await page.fill('[name=pricePerKwh]', '-1');
    await page.click('#controls button[type=submit]');
    await page.waitForFunction("/between 0 and 100/.test(document.getElementById('msg').textContent)", undefined, { timeout: 10_000 });
    await page.fill('[name=pricePerKwh]', '0.5');
    await page.click('#controls button[type=submit]');
    await page.waitForFunction("document.getElementById('msg').textContent === 'done'", undefined, { timeout: 10_000 });
    expect(lesson.host.prices.pricePerKwh).toBe(0.5);
    await page.waitForFunction("/price now 0.50/.test(document.getElementById('energynote').textContent) || /at 0.50\\/kWh/.test(document.getElementById('energynote').textContent)", undefined, { timeout: 10_000 });
  }, 60_000);

  it('reacts to a miner leaving: its row goes, the room slows, and a retarget lowers the difficulty', async () => {
    const before = await roomHashRate();
    const retargetsBefore = pool.chain.retargets.length;
    // Unplug the fastest miner from the page (half the room's hash rate).
    await page.click(`#miners button[data-stop]`);
    await page.waitForFunction("[...document.querySelectorAll('#miners tbody tr')].some((r) => /\\(gone\\)/.test(r.cells[0].textContent))", undefined, { timeout: 30_000 });
    const after = await roomHashRate();
    expect(after).toBeLessThan(before * 0.75);
    // Sooner or later a window runs long and the difficulty falls: wait for that retarget, and for the page to show it.
    const fell = await waitFor(() => pool.chain.retargets.slice(retargetsBefore).find((r) => r.to < r.from), 240_000);
    await page.waitForFunction(`/Last retarget at height ${fell.height}:/.test(document.getElementById('formula').textContent)`
      + ` || Number(document.getElementById('height').textContent) > ${fell.height}`, undefined, { timeout: 30_000 });
    await page.screenshot({ path: screenshotPath('classroom-miner-left.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 300_000);
});

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`nothing after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
