/**
 * The AxeOS API, held to AxeOS's own model (tests/fixtures/axeos/api-model.json: the field
 * names and JSON types of ESP-Miner's openapi.yaml, from which the AxeOS UI's types are
 * generated) and to what its pages send: a running miner on the model core behind the host
 * server, plus the pure parts (the PATCH mapping, the statistics ring, the scoreboard, the live
 * feed, the log lines) on their own.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_SETTINGS, type Settings } from '../../src/config/settings.ts';
import { Scoreboard } from '../../src/miner/scoreboard.ts';
import { type ApiHost, handleRequest } from '../../src/ui/api.ts';
import { LiveFeed, logSocketLine } from '../../src/ui/axeos/live.ts';
import { fromAxeosPatch } from '../../src/ui/axeos/settings-patch.ts';
import { STAT_COLUMNS, StatsHistory, queryParam } from '../../src/ui/axeos/statistics.ts';
import { isLocalAddress, PasswordThrottle } from '../../src/ui/request-guard.ts';
import { LocalPool } from '../../host/pool/server.ts';
import { MiningSession } from '../../host/miner/session.ts';
import { DEMO_ADDRESS } from '../../host/cli/commands/pool.ts';
import { waitFor } from '../../host/firmware/moddable-sim.ts';

type Model = Record<string, { required: Record<string, string> }>;
const MODEL = JSON.parse(readFileSync(new URL('../fixtures/axeos/api-model.json', import.meta.url), 'utf8')) as Model;

/** The JSON type name the model uses for `v`. */
const jsonType = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

function expectShape(value: unknown, model: string): void {
  const fields = MODEL[model]!.required;
  const problems = Object.entries(fields)
    .filter(([k, type]) => jsonType((value as Record<string, unknown>)[k]) !== type)
    .map(([k, type]) => `${k}: ${type} expected, ${jsonType((value as Record<string, unknown>)[k])} sent`);
  expect(problems).toEqual([]);
}


describe('a running miner answers AxeOS', () => {
  let pool: LocalPool;
  let session: MiningSession;
  let base = '';
  let poolPort = 0;
  const get = async (path: string) => fetch(`${base}${path}`);
  const json = async (path: string) => (await get(path)).json() as Promise<Record<string, unknown>>;

  beforeAll(async () => {
    pool = new LocalPool({ port: 0, address: DEMO_ADDRESS, difficulty: 0.0005, chain: { difficulty: 1000, targetBlockSeconds: 600, retargetWindow: 10 } });
    poolPort = await pool.start();
    session = await MiningSession.start({
      settings: { ...DEFAULT_SETTINGS, stratumURL: `stratum+tcp://127.0.0.1:${poolPort}`, stratumUser: `${DEMO_ADDRESS}.axeos`, adminPassword: 'admin-password-1', apiAccess: 'local-network' },
      core: { kind: 'model' },
      httpPort: 0,
    });
    base = session.api!.url;
    // Difficulty 0.0005 on the model makes a share certain within seconds; the wait is for a loaded machine.
    await waitFor('an accepted share', 120_000, async () => (session.status().shares.accepted > 0 ? true : undefined));
  }, 180_000);

  afterAll(async () => {
    await session?.stop();
    await pool?.stop();
  });

  it('/api/system/info has every field AxeOS requires, with its types, and honest values', async () => {
    const info = await json('api/system/info');
    expect(Object.keys(MODEL['systemInfo']!.required)).toHaveLength(97);
    expectShape(info, 'systemInfo');
    for (const p of info['pools'] as unknown[]) expectShape(p, 'pool');
    expect(info).toMatchObject({
      stratumURL: '127.0.0.1', stratumPort: poolPort, stratumUser: `${DEMO_ADDRESS}.axeos`, isUsingFallbackStratum: 0,
      poolDifficulty: 0.0005, ASICModel: 'kilohash-fpga', fanrpm: 0, vrTemp: 0, voltage: 0, miningPaused: false,
    });
    expect(info['hashRate_1m'] as number).toBeGreaterThan(0);
    expect(info['sharesAccepted'] as number).toBeGreaterThan(0);
    expect(info['bestDiff'] as number).toBeGreaterThanOrEqual(info['bestSessionDiff'] as number);
    expect(info['bestSessionDiff'] as number).toBeGreaterThan(0);
    expect(info['responseTime'] as number).toBeGreaterThan(0);
    expect((info['kilohash'] as { shares: { accepted: number } }).shares.accepted).toBe(info['sharesAccepted']);
  });

  it('answers the other paths AxeOS calls, with CORS for reads', async () => {
    const asic = await json('api/system/asic');
    expectShape(asic, 'systemAsic');
    expect(asic).toMatchObject({ frequencyOptions: [], voltageOptions: [] });
    const stats = await get('api/system/statistics?columns=hashrate,power,nonsense,freeHeap');
    expect(stats.headers.get('access-control-allow-origin')).toBe('*');
    const s = (await stats.json()) as { labels: string[]; statistics: number[][] };
    expectShape(s, 'systemStatistics');
    expect(s.labels).toEqual(['hashrate', 'power', 'freeHeap', 'timestamp']);
    expect(s.statistics.length).toBeGreaterThan(0);
    expect(s.statistics[0]).toHaveLength(4);
    const board = (await (await get('api/system/scoreboard')).json()) as Array<Record<string, unknown>>;
    expect(board.length).toBeGreaterThan(0);
    for (const e of board) expectShape(e, 'scoreboardEntry');
    const diffs = board.map((e) => e['difficulty'] as number);
    expect(diffs).toEqual([...diffs].sort((a, b) => b - a));
    expect(board[0]!['difficulty']).toBe((await json('api/system/info'))['bestSessionDiff']);
    const logs = await (await get('api/system/logs')).text();
    expect(logs).toMatch(/INFO {2}share accepted/);
    expect(await json('api/system/wifi/scan')).toEqual({ networks: [] });
    expect(await json('api/theme')).toMatchObject({ colorScheme: 'dark' });
    const pre = await fetch(`${base}api/system/pause`, { method: 'OPTIONS' });
    expect(pre.status).toBe(204);
    // The update page's web-UI upload and partition switch: answered, with why not.
    const www = await fetch(`${base}api/system/OTAWWW`, { method: 'POST', body: 'x' });
    expect(www.status).toBe(501);
    expect(await www.json()).toMatchObject({ error: expect.stringMatching(/firmware/) });
    expect((await fetch(`${base}api/system/boot`, { method: 'POST', body: '{"partition":"ota_1"}' })).status).toBe(501);
  });

  it('pauses and resumes mining from the local network without a password', async () => {
    expect((await fetch(`${base}api/system/pause`, { method: 'POST' })).status).toBe(200);
    expect((await json('api/system/info'))['miningPaused']).toBe(true);
    const hashes = session.status().core.hashes;
    // Paused means the core counter stands still (give it a few of the miner's polls to prove it).
    await new Promise((r) => setTimeout(r, 500));
    const later = session.status().core.hashes;
    await new Promise((r) => setTimeout(r, 500));
    expect(session.status().core.hashes).toBe(later);
    expect(later - hashes).toBeLessThan(2 ** 22);
    expect((await fetch(`${base}api/system/resume`, { method: 'POST' })).status).toBe(200);
    await waitFor('hashing again', 60_000, async () => (session.status().core.hashes > later ? true : undefined));
    expect((await json('api/system/info'))['miningPaused']).toBe(false);
  });

  it('takes a theme and an identify, and still refuses a write from a page elsewhere', async () => {
    expect((await fetch(`${base}api/theme`, { method: 'POST', body: JSON.stringify({ colorScheme: 'light', primaryColor: '#00ff00' }) })).status).toBe(200);
    expect(await json('api/theme')).toEqual({ colorScheme: 'light', primaryColor: '#00ff00' });
    expect((await fetch(`${base}api/system/identify`, { method: 'POST' })).status).toBe(200);
    const evil = await fetch(`${base}api/system`, { method: 'PATCH', headers: { origin: 'http://evil.example' }, body: JSON.stringify({ stratumPort: 1 }) });
    expect(evil.status).toBe(403);
    expect((await fetch(`${base}api/theme`, { method: 'POST', headers: { origin: 'http://evil.example' }, body: '{"colorScheme":"x"}' })).status).toBe(403);
  });

  it('pushes the info object and then its changes on /api/ws/live, and log lines on /api/ws', async () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}api/ws/live`);
    const msgs: Array<{ event: string; data: Record<string, unknown> }> = [];
    ws.on('message', (m) => msgs.push(JSON.parse(String(m))));
    // The uptime changes every second: AxeOS reconnects after 5 s without a message.
    await waitFor('a later message with the uptime', 30_000, async () => (msgs.slice(1).some((m) => 'uptimeSeconds' in m.data) ? true : undefined));
    ws.close();
    expect(msgs[0]!.event).toBe('update');
    expectShape(msgs[0]!.data, 'systemInfo');
    // Later messages carry only what changed, never the whole object again.
    for (const m of msgs.slice(1)) expect(Object.keys(m.data).length).toBeLessThan(Object.keys(msgs[0]!.data).length);
    const logs = new WebSocket(`${base.replace('http', 'ws')}api/ws`);
    const lines: string[] = [];
    logs.on('message', (m) => lines.push(String(m)));
    await waitFor('the recent log lines', 30_000, async () => (lines.length > 0 ? true : undefined));
    logs.close();
    // ESP-IDF's form, which AxeOS's log page cuts 9 and 5 characters from.
    expect(lines[0]).toMatch(/^\x1b\[0;3[1237]m[EWID] .*\x1b\[0m\n$/);
  });

  it('saves the pool page of AxeOS and the pool is used after the restart it asks for', async () => {
    const other = new LocalPool({ port: 0, address: DEMO_ADDRESS, difficulty: 0.0005, chain: { difficulty: 1000, targetBlockSeconds: 600, retargetWindow: 10 } });
    const port = await other.start();
    let accepted = 0;
    other.on('event', (e: { event: string; accepted?: boolean }) => { if (e.event === 'share' && e.accepted) accepted++; });
    try {
      const info = await json('api/system/info');
      const pools = info['pools'] as Array<Record<string, unknown>>;
      // What the pool page sends: its whole form, the password field as AxeOS leaves it.
      const body = { primaryPoolIndex: 0, secondaryPoolIndex: 0, pools: [{ ...pools[0], stratumPort: port, stratumPassword: '*****', stratumCert: '', stratumV2ChannelType: 'extended' }] };
      const r = await fetch(`${base}api/system`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(r.status).toBe(200);
      expect(await r.json()).toMatchObject({ status: 'success', stratumURL: `stratum+tcp://127.0.0.1:${port}` });
      expect((await fetch(`${base}api/system/restart`, { method: 'POST' })).status).toBe(200);
      await waitFor('a share on the new pool', 120_000, async () => (accepted > 0 ? true : undefined));
      expect(session.settings.stratumPassword).toBe(DEFAULT_SETTINGS.stratumPassword); // '*****' kept it
      expect((await json('api/system/info'))['stratumPort']).toBe(port);
    } finally {
      await other.stop();
    }
  }, 180_000);
});

describe('AxeOS writes mapped onto kilohash settings', () => {
  const current: Settings = { ...DEFAULT_SETTINGS, stratumURL: 'stratum+tcp://solo.ckpool.org:3333', stratumUser: 'bc1qold', stratumPassword: 'old' };

  it('the Network page: hostname, ssid and the Wi-Fi password (***** keeps it)', () => {
    expect(fromAxeosPatch({ hostname: 'miner-1', ssid: 'home', wifiPass: 'longenough1' }, current)).toMatchObject({ ok: true, patch: { hostname: 'miner-1', wifiSSID: 'home', wifiPassword: 'longenough1' } });
    const kept = fromAxeosPatch({ ssid: 'home', wifiPass: '*****' }, current);
    expect(kept.ok && 'wifiPassword' in kept.patch).toBe(false);
  });

  it('the Pool page: bare host and port, TLS, primary and backup by index, unused slots noted', () => {
    const r = fromAxeosPatch({
      primaryPoolIndex: 2,
      secondaryPoolIndex: 0,
      pools: [
        { id: 0, stratumURL: 'solo.ckpool.org', stratumPort: 3333, stratumUser: 'bc1qold', stratumPassword: '*****', stratumTLS: 0, stratumSuggestedDifficulty: 1000 },
        { id: 2, stratumURL: 'public-pool.io', stratumPort: 4333, stratumUser: 'bc1qnew.w1', stratumPassword: 'x', stratumTLS: 1, stratumSuggestedDifficulty: 512, stratumExtranonceSubscribe: true, stratumV2AuthorityPubkey: '9auqWEzQDVyd2oe1JVGFLMLHZtCo2FFqZwtKA5gd9xbuEu7PH72', stratumCert: '' },
        { id: 5, stratumURL: 'unused.example', stratumPort: 1, stratumUser: 'u' },
      ],
    }, current);
    expect(r).toMatchObject({
      ok: true,
      patch: {
        stratumURL: 'stratum+ssl://public-pool.io:4333', stratumUser: 'bc1qnew.w1', stratumPassword: 'x',
        fallbackStratumURL: 'stratum+tcp://solo.ckpool.org:3333', fallbackStratumUser: 'bc1qold', fallbackStratumPassword: 'old',
        suggestDifficulty: 512, extranonceSubscribe: true,
      },
    });
    if (r.ok) {
      // Asking for what kilohash cannot do is named; the neutral values AxeOS always sends are not.
      expect(r.ignored).toEqual(['pools.stratumV2AuthorityPubkey']);
      expect(r.notes.join(' ')).toMatch(/pool 5 was not stored/);
      expect(r.notes.join(' ')).toMatch(/one difficulty/);
    }
  });

  it('equal indices mean no backup pool', () => {
    const withBackup = { ...current, fallbackStratumURL: 'stratum+tcp://backup.example:3333' };
    const r = fromAxeosPatch({ primaryPoolIndex: 0, secondaryPoolIndex: 0, pools: [{ id: 0, stratumURL: 'solo.ckpool.org', stratumPort: 3333, stratumUser: 'bc1qold' }] }, withBackup);
    expect(r).toMatchObject({ ok: true, patch: { fallbackStratumURL: '' } });
  });

  it('older flat fields: bare host with stratumPort, full URLs as kilohash writes them', () => {
    expect(fromAxeosPatch({ stratumURL: 'public-pool.io', stratumPort: 21496 }, current)).toMatchObject({ ok: true, patch: { stratumURL: 'stratum+tcp://public-pool.io:21496' } });
    expect(fromAxeosPatch({ stratumPort: 4444 }, current)).toMatchObject({ ok: true, patch: { stratumURL: 'stratum+tcp://solo.ckpool.org:4444' } });
    expect(fromAxeosPatch({ fallbackStratumURL: 'backup.example', fallbackStratumPort: 3334 }, current)).toMatchObject({ ok: true, patch: { fallbackStratumURL: 'stratum+tcp://backup.example:3334' } });
    // kilohash's own bare host:port keeps its port; an IPv6 address gets brackets.
    expect(fromAxeosPatch({ stratumURL: 'pool.example:4444' }, current)).toMatchObject({ ok: true, patch: { stratumURL: 'stratum+tcp://pool.example:4444' } });
    expect(fromAxeosPatch({ stratumURL: 'fd00::5', stratumPort: 3333 }, current)).toMatchObject({ ok: true, patch: { stratumURL: 'stratum+tcp://[fd00::5]:3333' } });
  });

  it('settings for hardware a kilohash board lacks are accepted, ignored and named', () => {
    const r = fromAxeosPatch({ frequency: 525, coreVoltage: 1150, fanspeed: 100, autofanspeed: 1, display: 'SSD1306', rotation: 90, statsFrequency: 60 }, current);
    expect(r).toMatchObject({ ok: true, patch: {} });
    if (r.ok) expect(r.ignored.sort()).toEqual(['autofanspeed', 'coreVoltage', 'display', 'fanspeed', 'frequency', 'rotation', 'statsFrequency']);
  });

  it('malformed pools are refused with the field named, and nothing is changed', () => {
    for (const [body, field] of [
      [{ pools: 'no' }, 'pools'],
      [{ pools: [{ id: 0, stratumURL: '', stratumPort: 3333, stratumUser: 'u' }] }, 'pools[0].stratumURL'],
      [{ pools: [{ id: 0, stratumURL: 'a.example', stratumPort: 70000, stratumUser: 'u' }] }, 'pools[0].stratumURL'],
      [{ pools: [{ id: 0, stratumURL: 'a.example', stratumPort: 3333, stratumUser: '' }] }, 'pools[0].stratumUser'],
      [{ pools: [{ id: 0, stratumURL: 'a.example', stratumPort: 3333, stratumUser: 'u', stratumTLS: 7 }] }, 'pools[0].stratumURL'],
      [{ primaryPoolIndex: 3, pools: [] }, 'primaryPoolIndex'],
      [{ primaryPoolIndex: -1 }, 'primaryPoolIndex'],
    ] as const) {
      const r = fromAxeosPatch(body as Record<string, unknown>, current);
      expect(r.ok, JSON.stringify(body)).toBe(false);
      if (!r.ok) expect(Object.keys(r.errors)).toContain(field);
    }
  });
});

describe('who may write: password, or the local network when the owner chose it', () => {
  const host = (s: Partial<Settings>): ApiHost & { current: Settings } => {
    const h = {
      current: { ...DEFAULT_SETTINGS, stratumUser: 'bc1qx', ...s },
      info: () => ({}), status: () => ({}), settings: () => h.current, saveSettings: (n: Settings) => { h.current = n; }, restart: () => {},
    };
    return h;
  };
  const patch = (body: unknown, client: string, headers: Record<string, string> = {}) =>
    ({ method: 'PATCH', path: '/api/system', headers, body: JSON.stringify(body), client });

  it('local-network: private addresses write without a password; others and the access settings need it', () => {
    const h = host({ apiAccess: 'local-network', adminPassword: 'admin-password-1' });
    const t = new PasswordThrottle(() => 0);
    expect(handleRequest(patch({ power: 3 }, '192.168.1.20'), h, t).status).toBe(200);
    expect(handleRequest(patch({ power: 4 }, '::ffff:10.1.2.3'), h, t).status).toBe(200);
    expect(handleRequest(patch({ power: 5 }, '203.0.113.9'), h, t).status).toBe(401);
    expect(handleRequest(patch({ apiAccess: 'password' }, '192.168.1.20'), h, t).status).toBe(401);
    expect(handleRequest(patch({ adminPassword: 'taken-over-1' }, '192.168.1.20'), h, t).status).toBe(401);
    expect(handleRequest(patch({ apiAccess: 'password' }, '192.168.1.20', { authorization: 'Bearer admin-password-1' }), h, t).status).toBe(200);
    expect(h.current).toMatchObject({ power: 4, apiAccess: 'password', adminPassword: 'admin-password-1' });
    // Back in password mode, the local network needs the password again.
    expect(handleRequest(patch({ power: 6 }, '192.168.1.20'), h, t).status).toBe(401);
  });

  it('password (the default) asks everyone', () => {
    const h = host({ adminPassword: 'admin-password-1' });
    expect(h.current.apiAccess).toBe('password');
    expect(handleRequest(patch({ power: 3 }, '192.168.1.20'), h).status).toBe(401);
    expect(handleRequest({ method: 'POST', path: '/api/system/restart', headers: {}, body: '', client: '127.0.0.1' }, h).status).toBe(401);
  });

  it('knows the private ranges', () => {
    for (const a of ['10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.0.1', '127.0.0.1', '169.254.1.1', '::1', 'fe80::1%eth0', 'fd12::1', '::ffff:192.168.1.1']) expect(isLocalAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '172.32.0.1', '192.169.0.1', '2001:db8::1', '::ffff:8.8.8.8', '', 'localhost', '300.1.1.1', undefined]) expect(isLocalAddress(a), String(a)).toBe(false);
  });
});

describe('the pure parts', () => {
  it('the statistics ring keeps the newest samples, in fixed memory, and answers in AxeOS column order', () => {
    const h = new StatsHistory(3, 1);
    for (let t = 0; t < 5000; t += 500) h.tick(t, () => Object.fromEntries(STAT_COLUMNS.map((c) => [c, t / 1000])) as never);
    expect(h.size).toBe(3);
    const a = h.answer(5000, 'power,hashrate');
    expect(a.labels).toEqual(['hashrate', 'power', 'timestamp']);
    expect(a.statistics).toEqual([[2, 2, 2000], [3, 3, 3000], [4, 4, 4000]]);
    expect(h.answer(5000, 'bogus').labels).toHaveLength(STAT_COLUMNS.length + 1);
    // Columns for parts a kilohash board lacks are not stored; they read 0.
    expect(h.answer(5000, 'fanRpm,vrTemp').statistics[0]).toEqual([0, 0, 2000]);
    expect(queryParam('x=1&columns=hashrate%2Cpower', 'columns')).toBe('hashrate,power');
    expect(queryParam('columns=%E0%A4%A', 'columns')).toBe('%E0%A4%A');
  });

  it('the scoreboard keeps the best, best first, without repeats', () => {
    const b = new Scoreboard(3);
    const e = (difficulty: number, nonce: number) => ({ difficulty, nonce, jobId: '1', extranonce2: '00', ntime: 0, versionBits: 0, at: 0 });
    for (const [d, n] of [[5, 1], [1, 2], [9, 3], [9, 3], [7, 4], [2, 5]] as const) b.add(e(d, n));
    expect(b.entries().map((x) => x.difficulty)).toEqual([9, 7, 5]);
    // Against the obvious reference: the distinct results, sorted, the first `size` of them.
    // A nonce's difficulty is fixed by its hash: here a function of the nonce, with ties.
    const difficultyOf = (n: number) => ((n * 7919) % 13) + 1;
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 80 }), fc.integer({ min: 1, max: 8 }), (nonces, size) => {
      const board = new Scoreboard(size);
      const seen = new Map<number, number>();
      for (const n of nonces) {
        board.add(e(difficultyOf(n), n));
        seen.set(n, difficultyOf(n));
      }
      const got = board.entries();
      expect(got.map((x) => x.difficulty)).toEqual([...got.map((x) => x.difficulty)].sort((a, b) => b - a));
      expect(new Set(got.map((x) => x.nonce)).size).toBe(got.length);
      const best = [...seen.values()].sort((a, b) => b - a).slice(0, size);
      expect(got.map((x) => x.difficulty)).toEqual(best);
      for (const x of got) expect(seen.get(x.nonce)).toBe(x.difficulty);
    }), { numRuns: 300, seed: 7 });
  });

  it('the live feed sends the whole object first, then only what changed', () => {
    let up = 1;
    const feed = new LiveFeed(() => ({ uptimeSeconds: up, hashRate: 1, pools: [{ id: 0 }] }));
    expect(JSON.parse(feed.full())).toEqual({ event: 'update', data: { uptimeSeconds: 1, hashRate: 1, pools: [{ id: 0 }] } });
    expect(feed.next()).toBeNull();
    up = 2;
    expect(JSON.parse(feed.next()!)).toEqual({ event: 'update', data: { uptimeSeconds: 2 } });
  });

  it('log lines take the form AxeOS cuts (nine characters in front, five behind)', () => {
    const line = logSocketLine('00:01.000 WARN  disconnected', 'warn');
    expect(line.slice(9, line.length - 5)).toBe('00:01.000 WARN  disconnected');
    expect(line).toMatch(/^\x1b\[0;33m/);
  });
});
