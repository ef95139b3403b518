/**
 * src/app: the one application every host runs. Settings kept in Storage (damaged → defaults,
 * build-time settings as the base), the first run's password-free setup, and the core
 * bring-up: a fault with its reason after one retry, never a crash.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildSettings } from '../../src/app/build-settings.ts';
import { MinerApp } from '../../src/app/miner-app.ts';
import { SettingsStore } from '../../src/app/settings-store.ts';
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import type { CoreLink } from '../../src/core/link.ts';
import { ModelLink } from '../../src/core/model/model-link.ts';
import type { Storage } from '../../src/platform/interfaces.ts';
import { handleRequest } from '../../src/ui/api.ts';
import { keepAliveClock, nodeTransport } from '../../host/platform/node.ts';
import { LocalPool } from '../../host/pool/server.ts';
import { DEMO_ADDRESS } from '../../host/cli/commands/pool.ts';

const memory = (init: Record<string, string> = {}): Storage & { data: Record<string, string> } => {
  const data = { ...init };
  return { data, read: (k) => data[k], write: (k, v) => { data[k] = v; } };
};

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

describe('settings store', () => {
  it('is a first run until settings are written; damaged fields fall back to the build defaults', () => {
    const base = buildSettings({ pool: 'stratum+tcp://10.0.0.2:3333', user: DEMO_ADDRESS });
    const storage = memory();
    const store = new SettingsStore(storage, base);
    expect(store.firstRun).toBe(true);
    expect(store.read()).toMatchObject({ stratumURL: 'stratum+tcp://10.0.0.2:3333', stratumUser: DEMO_ADDRESS });
    store.write({ ...base, power: 4 });
    expect(store.firstRun).toBe(false);
    expect(new SettingsStore(storage, base).firstRun).toBe(false);
    storage.data.settings = JSON.stringify({ power: 'lots', stratumUser: 'someone.rig' });
    expect(new SettingsStore(storage, base).read()).toMatchObject({ power: DEFAULT_SETTINGS.power, stratumUser: 'someone.rig', stratumURL: 'stratum+tcp://10.0.0.2:3333' });
    const logged: string[] = [];
    storage.data.settings = '{not json';
    expect(new SettingsStore(storage, base).read((_l, t) => logged.push(t))).toEqual(base);
    expect(logged).toEqual(['stored settings are damaged; using the defaults']);
  });

  it('build-time settings: mcconfig strings become settings, a bad one is reported and left at the default', () => {
    const logged: string[] = [];
    const s = buildSettings({ ssid: 'classroom', password: 'longenough', pool: 'stratum+tcp://192.0.2.1:3333', user: 'bcrt1q.desk3', power: '3.5', suggestDifficulty: 'x', admin: 'short', kilohash: {} }, (_l, t) => logged.push(t));
    expect(s).toMatchObject({ wifiSSID: 'classroom', wifiPassword: 'longenough', stratumURL: 'stratum+tcp://192.0.2.1:3333', stratumUser: 'bcrt1q.desk3', power: 3.5, suggestDifficulty: 0, adminPassword: '' });
    expect(logged).toEqual([
      "build setting 'admin': adminPassword must be at least 8 characters (or empty to disable changes); left at the default",
      "build setting 'suggestDifficulty': suggestDifficulty must be a number; left at the default",
    ]);
  });
});

describe('first run', () => {
  const patch = (body: unknown, headers: Record<string, string> = {}) => ({ method: 'PATCH', path: '/api/system', headers, body: JSON.stringify(body) });

  function app(storage: Storage, base = DEFAULT_SETTINGS) {
    const store = new SettingsStore(storage, base);
    return new MinerApp({ settings: store.read(), store, clock: keepAliveClock, transport: nodeTransport, openCore: () => new ModelLink({ clock: keepAliveClock }), hostname: 't', boardName: 'test' });
  }

  it('takes the first settings without a password, then asks for the one it set', async () => {
    const storage = memory();
    const a = app(storage);
    await a.start();
    expect(a.state.kind).toBe('setup');
    expect(handleRequest({ method: 'GET', path: '/', headers: {}, body: '' }, a.api).body).toContain('kilohash settings');
    expect(handleRequest(patch({ stratumUser: DEMO_ADDRESS, adminPassword: 'admin-pass-1' }), a.api).status).toBe(200);
    expect(JSON.parse(storage.data.settings!)).toMatchObject({ stratumUser: DEMO_ADDRESS, adminPassword: 'admin-pass-1' });
    expect(handleRequest(patch({ power: 3 }), a.api).status).toBe(401);
    expect(handleRequest(patch({ power: 3 }, { authorization: 'Bearer admin-pass-1' }), a.api).status).toBe(200);
    // After a restart of the device the settings are its own: no more first run.
    expect(app(storage).api.firstRun).toBe(false);
  });

  it('a first write without an admin password locks later writes, and says so', () => {
    const storage = memory();
    const a = app(storage);
    expect(handleRequest(patch({ stratumUser: DEMO_ADDRESS }), a.api).status).toBe(200);
    const r = handleRequest(patch({ power: 3 }), a.api);
    expect(r.status).toBe(403);
    expect(r.body).toContain('no admin password is set');
  });

  it('an admin password given at build time is needed from the first write', () => {
    const a = app(memory(), buildSettings({ admin: 'class-pass-1' }));
    expect(handleRequest(patch({ stratumUser: DEMO_ADDRESS }), a.api).status).toBe(401);
  });
});

describe('core bring-up', () => {
  const deadLink = (why: string): CoreLink => ({ transfer: () => { throw new Error(why); } });

  it('a core that cannot come up is a core-fault with its reason after exactly one retry', async () => {
    const opened: number[] = [];
    const closed: number[] = [];
    const events: string[] = [];
    const a = new MinerApp({
      settings: { ...DEFAULT_SETTINGS, stratumUser: DEMO_ADDRESS, stratumURL: 'stratum+tcp://127.0.0.1:9' },
      clock: keepAliveClock,
      transport: nodeTransport,
      openCore: () => {
        opened.push(opened.length + 1);
        if (opened.length === 1) throw new Error('CDONE did not rise within 2048 bytes');
        return deadLink('MISO stuck low');
      },
      closeCore: () => { closed.push(1); },
      hostname: 't',
      boardName: 'test',
      onEvent: (e) => events.push(e.type),
    });
    await a.start();
    expect(opened).toEqual([1, 2]);
    expect(a.state).toEqual({ kind: 'core-fault', reason: 'MISO stuck low' });
    expect(closed.length).toBe(1);
    expect(events).toContain('core-fault');
    expect(a.status()).toEqual({ state: 'core-fault', error: 'MISO stuck low' });
    // AxeOS's shape, all fields present and neutral; why not mining is under kilohash.
    expect(a.info()).toMatchObject({ hashRate: 0, sharesAccepted: 0, kilohash: { state: 'core-fault', error: 'MISO stuck low' } });
  });

  it('brings the model core up, mines, and keeps the best difficulty across a restart', async () => {
    const pool = new LocalPool({ port: 0, address: DEMO_ADDRESS, difficulty: 0.0002, chain: { difficulty: 1000, targetBlockSeconds: 600, retargetWindow: 10 } });
    const port = await pool.start();
    cleanups.push(() => pool.stop());
    const storage = memory();
    const a = new MinerApp({
      settings: { ...DEFAULT_SETTINGS, stratumUser: `${DEMO_ADDRESS}.app`, stratumURL: `stratum+tcp://127.0.0.1:${port}` },
      clock: keepAliveClock, transport: nodeTransport, storage,
      openCore: () => new ModelLink({ clock: keepAliveClock }),
      hostname: 't', boardName: 'test',
    });
    cleanups.push(() => a.close());
    await a.start();
    expect(a.state.kind).toBe('running');
    const deadline = Date.now() + 120_000;
    while ((a.miner?.client.stats.accepted ?? 0) < 1) {
      if (Date.now() > deadline) throw new Error('no accepted share in 30 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    const best = a.miner!.counters.bestEver;
    expect(best).toBeGreaterThan(0);
    expect(Number(storage.data.bestDiff)).toBe(best);
    await a.restart();
    expect(a.miner!.counters.bestEver).toBe(best);
  });
});
