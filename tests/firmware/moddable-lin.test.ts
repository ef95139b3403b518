/**
 * The device firmware on Moddable's own runtime: manifest.json built by the real SDK's mcconfig
 * for `lin` exactly as the README says, run in mcsim (under Xvfb), set up over its HTTP API on
 * its first run, pointed at the local pool, and mining until the pool accepts its shares — the
 * Moddable XS runtime (with the ESP32-C3's creation sizes), its TCP, timers, file storage and
 * HTTP server, end to end.
 *
 * Needs the Moddable SDK's Linux tools (not a package: docs/firmware.md says how to build them)
 * with MODDABLE set, and xvfb-run. Without them it is skipped, and its name says why.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ADDRESS } from '../../host/cli/commands/pool.ts';
import { buildLin, findSdk, SIM_STORAGE, simApi, startSimulator, waitFor, type Simulator } from '../../host/firmware/moddable-sim.ts';
import { LocalPool, type PoolEvent } from '../../host/pool/server.ts';

const sdk = findSdk();
let sim: Simulator | undefined;
let savedStorage: string | undefined;
const pool = new LocalPool({
  port: 0, address: DEMO_ADDRESS, difficulty: 0.00002, vardiff: false,
  chain: { difficulty: 1000, targetBlockSeconds: 600, retargetWindow: 10 },
});

afterAll(async () => {
  sim?.stop();
  await pool.stop();
  if (savedStorage !== undefined) writeFileSync(SIM_STORAGE, savedStorage);
  else if (sim) rmSync(SIM_STORAGE, { force: true });
});

describe.skipIf(!sdk.ok)(`the lin firmware on Moddable's runtime${sdk.ok ? '' : ` (skipped: ${sdk.reason})`}`, () => {
  it('builds from manifest.json as written, is set up over HTTP on its first run, and gets shares accepted', async () => {
    if (!sdk.ok) return;
    const library = await buildLin(sdk);

    // A first run: nothing stored (a developer's own settings are put back afterwards).
    if (existsSync(SIM_STORAGE)) {
      savedStorage = readFileSync(SIM_STORAGE, 'utf8');
      rmSync(SIM_STORAGE);
    }
    const events: PoolEvent[] = [];
    pool.on('event', (e: PoolEvent) => events.push(e));
    const port = await pool.start();

    sim = startSimulator(sdk, library);
    const info = await waitFor('the firmware\'s API', 60_000, async () => {
      const r = await simApi('/api/system/info');
      return r.body.state === 'setup' ? r.body : undefined;
    });
    expect(info).toMatchObject({ boardVersion: 'desktop simulator (model core)' });

    const user = `${DEMO_ADDRESS}.mcsim`;
    const set = await simApi('/api/system', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ stratumURL: `stratum+tcp://127.0.0.1:${port}`, stratumUser: user, adminPassword: 'admin-pass-1' }),
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    // From now on the admin password guards every change.
    expect((await simApi('/api/system', { method: 'PATCH', body: '{"power":3}' })).status).toBe(401);
    expect((await simApi('/api/system/restart', { method: 'POST', headers: { authorization: 'Bearer admin-pass-1' } })).status).toBe(200);

    await waitFor('a share accepted by the pool', 180_000, async () => (events.some((e) => e.event === 'share' && e.accepted && e.worker === user) ? true : undefined));
    const status = await waitFor('the status to count it', 10_000, async () => {
      const r = await simApi('/api/status');
      return (r.body.shares as { accepted: number } | undefined)?.accepted ? r.body : undefined;
    });
    expect(status).toMatchObject({ state: 'mining', core: { hardwareErrors: 0 } });
    expect(events.filter((e) => e.event === 'share' && !e.accepted)).toEqual([]);
    // The settings were stored through the runtime's file module.
    const stored = JSON.parse(readFileSync(SIM_STORAGE, 'utf8')) as { settings?: string };
    expect(JSON.parse(stored.settings!)).toMatchObject({ stratumUser: user });
  }, 15 * 60_000);
});
