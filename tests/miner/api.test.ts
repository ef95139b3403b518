/**
 * The status API and the dashboard, served by a running miner: AxeOS field names, settings
 * behind the password with secrets never echoed, and the page showing live numbers in a real
 * (headless) Chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import { LocalPool } from '../../host/pool/server.ts';
import { MiningSession } from '../../host/miner/session.ts';
import { DEMO_ADDRESS } from '../../host/cli/commands/pool.ts';
import { CHROMIUM, launchChromium, screenshotPath } from '../helpers/chromium.ts';

const PASSWORD = 'correct horse battery';

let pool: LocalPool;
let session: MiningSession;
let base: string;

beforeAll(async () => {
  pool = new LocalPool({ port: 0, address: DEMO_ADDRESS, difficulty: 0.0005, chain: { difficulty: 1000, targetBlockSeconds: 600, retargetWindow: 10 } });
  const port = await pool.start();
  session = await MiningSession.start({
    settings: { ...DEFAULT_SETTINGS, stratumURL: `stratum+tcp://127.0.0.1:${port}`, stratumUser: `${DEMO_ADDRESS}.api`, stratumPassword: 'pool-secret', adminPassword: PASSWORD },
    core: { kind: 'model' },
    httpPort: 0,
  });
  base = session.api!.url.replace(/\/$/, '');
});

afterAll(async () => {
  await session?.stop();
  await pool?.stop();
});

const patch = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/system`, { method: 'PATCH', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('status API', () => {
  it('GET /api/system/info answers with the AxeOS field names and units', async () => {
    const r = await fetch(`${base}/api/system/info`);
    expect(r.status).toBe(200);
    const info = (await r.json()) as Record<string, any>;
    for (const k of ['hashRate', 'sharesAccepted', 'sharesRejected', 'bestDiff', 'bestSessionDiff', 'uptimeSeconds', 'stratumURL', 'stratumPort', 'stratumUser', 'power']) {
      expect(info, k).toHaveProperty(k);
    }
    expect(info.stratumUser).toBe(`${DEMO_ADDRESS}.api`);
    expect(info.stratumURL).toBe('127.0.0.1');
    // Numbers, as AxeOS's model has them (tests/ui/axeos-api.test.ts checks every field).
    expect(typeof info.bestDiff).toBe('number');
    // hashRate is GH/s, as AxeOS reports it.
    expect(info.hashRate).toBeCloseTo(info.kilohash.hashRate.counter.m1 / 1e9, 12);
  });

  it('never shows a secret', async () => {
    const all = await (await fetch(`${base}/api/system/settings`)).text();
    expect(all).not.toContain('pool-secret');
    expect(all).not.toContain(PASSWORD);
    expect(JSON.parse(all) as unknown).toMatchObject({ stratumPassword: true, adminPassword: true, stratumUser: `${DEMO_ADDRESS}.api` });
    const info = await (await fetch(`${base}/api/system/info`)).text();
    expect(info).not.toContain('pool-secret');
  });

  it('refuses writes without the password, or with a wrong one, and changes nothing', async () => {
    expect((await patch({ power: 99 })).status).toBe(401);
    expect((await patch({ power: 99 }, { authorization: 'Bearer wrong-password' })).status).toBe(403);
    // A second try straight after a wrong one is not even checked (docs/miner.md).
    const held = await patch({ power: 99 }, { 'x-password': 'also wrong' });
    expect(held.status).toBe(429);
    const restart = await fetch(`${base}/api/system/restart`, { method: 'POST' });
    expect(restart.status).toBe(401);
    // Wait out the delay the server asked for, so the tests below are not held up.
    await new Promise((r) => setTimeout(r, Number(held.headers.get('retry-after')) * 1000 + 50));
    expect((await patch({ power: 99 }, { 'x-password': 'also wrong' })).status).toBe(403);
    await new Promise((r) => setTimeout(r, 2 * 1000 + 50));
    expect(((await (await fetch(`${base}/api/system/settings`)).json()) as { power: number }).power).toBe(DEFAULT_SETTINGS.power);
  });

  it('validates every field and applies nothing when one is bad', async () => {
    const auth = { authorization: `Bearer ${PASSWORD}` };
    const bad = await patch({ power: 5, stratumURL: 'http://nope', coinPrice: -1 }, auth);
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { fields: Record<string, string> };
    expect(Object.keys(body.fields).sort()).toEqual(['coinPrice', 'stratumURL']);
    expect((await patch('{not json', auth)).status).toBe(400);
    expect((await patch({ unknownSetting: 1 }, auth)).status).toBe(400);
    expect(((await (await fetch(`${base}/api/system/settings`)).json()) as { power: number }).power).toBe(DEFAULT_SETTINGS.power);
  });

  it('applies a valid change with the password (energy figures follow at once)', async () => {
    const r = await patch({ power: 7.5, pricePerKwh: 0.5 }, { authorization: `Bearer ${PASSWORD}` });
    expect(r.status).toBe(200);
    const st = (await (await fetch(`${base}/api/status`)).json()) as Record<string, any>;
    expect(st.energy.watts).toBe(7.5);
    expect(st.energy.costPerDay).toBeCloseTo((7.5 * 24 * 0.5) / 1000, 9);
  });

  it('answers unknown paths and methods with clear errors', async () => {
    expect((await fetch(`${base}/api/nothing`)).status).toBe(404);
    expect((await fetch(`${base}/api/status`, { method: 'DELETE' })).status).toBe(405);
    const big = await patch('x'.repeat(20_000), { authorization: `Bearer ${PASSWORD}` });
    expect(big.status).toBe(413);
  });
});

describe.skipIf(!CHROMIUM)('dashboard in headless Chromium', () => {
  it('loads and shows live numbers that change', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${base}/`);
      // Evaluated in the page (strings, so this file needs no DOM types).
      await page.waitForFunction("/H\\/s/.test(document.getElementById('hashrate')?.textContent ?? '')", undefined, { timeout: 60_000 });
      await page.waitForFunction("document.getElementById('state')?.textContent === 'mining'", undefined, { timeout: 60_000 });
      const first = await page.textContent('#hashrate');
      expect(first).toMatch(/^[1-9][\d.]* [kM]H\/s$/);
      // Shares keep coming: the accepted count on the page goes up.
      const count = async () => Number((await page.textContent('#shares'))!.split(' / ')[0]);
      const before = await count();
      await page.waitForFunction(`Number(document.getElementById('shares').textContent.split(' / ')[0]) > ${before}`, undefined, { timeout: 60_000 });
      expect(await page.textContent('#netdiff')).not.toBe('—');
      // Difficulties as miners read them (no 0.0011724092885877276), the network named.
      expect(await page.textContent('#best')).toMatch(/^\d+(\.\d{1,2})?[kMGTP]? \/ \d+(\.\d{1,2})?[kMGTP]?$|^0\.\d+ \/ 0\.\d+$/);
      expect((await page.textContent('#netdiff'))!.length).toBeLessThanOrEqual(8);
      expect(await page.textContent('#netlabel')).toMatch(/local chain/);
      expect(await page.textContent('#value')).toMatch(/the pool's \(local chain\)/);
      await page.screenshot({ path: screenshotPath('dashboard.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 240_000);
});
