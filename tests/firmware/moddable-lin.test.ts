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
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ADDRESS } from '../../host/cli/commands/pool.ts';
import { buildLin, findSdk, SIM_CONSOLE, SIM_STORAGE, simApi, startSimulator, waitFor, type Simulator } from '../../host/firmware/moddable-sim.ts';
import { LocalPool, type PoolEvent } from '../../host/pool/server.ts';
import { openNullModem, ptyMissing } from '../../host/serial/pty.ts';
import { kilohashAsync } from '../helpers/cli.ts';

const sdk = findSdk();
const noPty = ptyMissing();
let sim: Simulator | undefined;
let savedStorage: string | undefined;
/** The firmware's console: its end (`a`) behind SIM_CONSOLE, ours (`b`) for `kilohash serial`. */
let modem: Awaited<ReturnType<typeof openNullModem>> | undefined;
const pool = new LocalPool({
  port: 0, address: DEMO_ADDRESS, difficulty: 0.00002, vardiff: false,
  chain: { difficulty: 1000, targetBlockSeconds: 600, retargetWindow: 10 },
});

afterAll(async () => {
  sim?.stop();
  await modem?.close();
  if (modem) rmSync(SIM_CONSOLE, { force: true });
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

    if (!noPty) {
      modem = await openNullModem();
      if (existsSync(SIM_CONSOLE) || isLink(SIM_CONSOLE)) rmSync(SIM_CONSOLE);
      symlinkSync(modem.a.path, SIM_CONSOLE);
    }
    sim = startSimulator(sdk, library);
    const info = await waitFor('the firmware\'s API', 60_000, async () => {
      const r = await simApi('/api/system/info');
      return (r.body.kilohash as { state?: string } | undefined)?.state === 'setup' ? r.body : undefined;
    });
    expect(info).toMatchObject({ boardVersion: 'desktop simulator (model core)', idfVersion: 'Moddable XS', hashRate: 0 });

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

  it('speaks AxeOS on the runtime: every info field, statistics, both WebSockets, and the pool page\'s write', async () => {
    if (!sdk.ok || !sim) return;
    const info = (await simApi('/api/system/info')).body;
    const model = JSON.parse(readFileSync(new URL('../fixtures/axeos/api-model.json', import.meta.url), 'utf8')) as Record<string, { required: Record<string, string> }>;
    const wrong = Object.entries(model['systemInfo']!.required).filter(([k, t]) => (Array.isArray(info[k]) ? 'array' : typeof info[k]) !== t).map(([k]) => k);
    expect(wrong).toEqual([]);
    expect(info).toMatchObject({ idfVersion: 'Moddable XS', stratumURL: '127.0.0.1', statsLimit: 60, statsFrequency: 60 });
    expect(info['sharesAccepted'] as number).toBeGreaterThan(0);
    const stats = (await simApi('/api/system/statistics?columns=hashrate,power')).body as { labels: string[]; statistics: number[][] };
    expect(stats.labels).toEqual(['hashrate', 'power', 'timestamp']);
    expect(stats.statistics.length).toBeGreaterThan(0);

    // The HTTP server hands /api/ws/live and /api/ws to Moddable's websocket module.
    const { default: WebSocket } = await import('ws');
    const live = new WebSocket('ws://127.0.0.1:8080/api/ws/live');
    const updates: Array<{ event: string; data: Record<string, unknown> }> = [];
    live.on('message', (m) => updates.push(JSON.parse(String(m))));
    await waitFor('two live updates from the device', 30_000, async () => (updates.length >= 2 ? true : undefined));
    live.close();
    expect(updates[0]).toMatchObject({ event: 'update', data: { idfVersion: 'Moddable XS' } });
    expect(Object.keys(updates[1]!.data).length).toBeLessThan(Object.keys(updates[0]!.data).length);
    const logs = new WebSocket('ws://127.0.0.1:8080/api/ws');
    const lines: string[] = [];
    logs.on('message', (m) => lines.push(String(m)));
    await waitFor('log lines from the device', 30_000, async () => (lines.some((l) => l.includes('share accepted')) ? true : undefined));
    logs.close();
    expect(lines[0]).toMatch(/^\x1b\[0;3[1237]m[EWID] .*\x1b\[0m\n$/);

    // What AxeOS's pool page sends (with the password, as this device is in password mode).
    const pools = info['pools'] as Array<Record<string, unknown>>;
    const body = { primaryPoolIndex: 0, secondaryPoolIndex: 0, pools: [{ ...pools[0], stratumPassword: '*****', stratumSuggestedDifficulty: 4 }], frequency: 500 };
    const r = await simApi('/api/system', { method: 'PATCH', headers: { 'content-type': 'application/json', authorization: 'Bearer admin-pass-1' }, body: JSON.stringify(body) });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ status: 'success', suggestDifficulty: 4, ignored: ['frequency'] });
  }, 5 * 60_000);
});

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

const BIN = fileURLToPath(new URL('../../bin/kilohash.js', import.meta.url));

describe.skipIf(!sdk.ok || noPty !== undefined)(`the lin firmware's serial console${!sdk.ok ? ` (skipped: ${sdk.reason})` : noPty ? ` (skipped: ${noPty})` : ''}`, () => {
  it('is configured over its console by `kilohash serial setup`, with the admin password and field-by-field answers', async () => {
    if (!sim || !modem) throw new Error('the firmware is not running: the test above failed');
    const port = modem.b.path;
    const wrong = await kilohashAsync(['serial', 'setup', '--port', port, '--admin-password', 'not-it', '--set', 'hostname=lin-desk'], 60_000);
    expect(wrong.code, wrong.stderr).toBe(1);
    expect(wrong.stderr).toMatch(/refused the admin password: wrong password/);
    // The wrong password makes the firmware wait a second before it checks another, as its HTTP API does.
    await new Promise((r) => setTimeout(r, 1100));

    const refused = await kilohashAsync(['serial', 'setup', '--port', port, '--admin-password', 'admin-pass-1', '--set', 'hostname=lin-desk', '--set', 'power=lots'], 60_000);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stdout).toMatch(/^hostname: ok$/m);
    expect(refused.stdout).toMatch(/^power: refused: power /m);
    expect((await simApi('/api/system/settings')).body).not.toMatchObject({ hostname: 'lin-desk' });

    const ok = await kilohashAsync(['serial', 'setup', '--port', port, '--admin-password', 'admin-pass-1', '--set', 'hostname=lin-desk', '--set', 'power=4.5', '--json'], 60_000);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ fields: { hostname: { ok: true }, power: { ok: true } }, saved: true });
    expect((await simApi('/api/system/settings')).body).toMatchObject({ hostname: 'lin-desk', power: 4.5 });
  }, 5 * 60_000);

  it('shows its log live in `kilohash serial monitor`, which stops on Ctrl-C', async () => {
    if (!sim || !modem) throw new Error('the firmware is not running: the test above failed');
    const monitor = spawn(process.execPath, [BIN, 'serial', 'monitor', '--port', modem.b.path, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => monitor.once('exit', resolve));
    const lines: Array<Record<string, unknown>> = [];
    createInterface({ input: monitor.stdout! }).on('line', (l) => lines.push(JSON.parse(l) as Record<string, unknown>));
    try {
      // Shares come every few seconds at the pool's difficulty; each is a log line on the console.
      await waitFor('a share in the monitor', 180_000, async () => (lines.some((l) => l.kind === 'log' && /share accepted/.test(String(l.text))) ? true : undefined));
    } finally {
      monitor.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(lines[0]).toMatchObject({ event: 'open', port: modem.b.path });
  }, 5 * 60_000);
});
