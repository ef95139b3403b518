/**
 * The classroom pool's parts, each alone: the room (miners from the pool's events), the
 * lesson's figures, the controls and their HTTP answers, the worker's declared watts, and the
 * demo's coin price.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { LocalPool } from '../../host/pool/server.ts';
import { startLessonServer } from '../../host/pool/lesson-server.ts';
import { SimulatedChain } from '../../host/pool/chain.ts';
import { applyControls, handleLessonRequest, handleMinersRequest, type LessonHost, type SimulatedMiners } from '../../host/pool/lesson-api.ts';
import { parseControlChange } from '../../host/pool/lesson-controls.ts';
import { chainView, minersView } from '../../host/pool/lesson.ts';
import { MAX_MINERS, Room } from '../../host/pool/room.ts';
import { parseWorkerPassword } from '../../host/pool/worker-password.ts';
import { classroomCoinPrice, simulatedMinerSpec } from '../../host/miner/simulated-room.ts';
import { breakEvenPricePerKwh, HASHES_PER_DIFFICULTY } from '../../src/miner/economics.ts';
import type { HttpRequest } from '../../src/ui/api.ts';
import { PasswordThrottle } from '../../src/ui/request-guard.ts';

function roomAt() {
  const clock = { ms: 1_000_000_000 };
  const room = new Room(() => clock.ms);
  const join = (client: number, worker: string, watts?: number) => {
    room.onEvent({ event: 'connect', client, remote: '127.0.0.1' });
    room.onEvent({ event: 'subscribe', client, agent: 'test/1', extranonce1: '00' });
    room.onEvent({ event: 'authorize', client, worker, ok: true, ...(watts !== undefined ? { watts } : {}) });
  };
  const share = (client: number, difficulty: number, shareDifficulty = difficulty) =>
    room.onEvent({ event: 'share', client, worker: 'w', jobId: '1', accepted: true, difficulty, shareDifficulty });
  return { clock, room, join, share };
}

describe('the room', () => {
  it("measures each miner's hash rate from its accepted shares, and drops it to 0 when it leaves", () => {
    const { clock, room, join, share } = roomAt();
    join(1, 'a.fast', 5);
    join(2, 'a.slow');
    // 60 s: the fast one sends a difficulty-1 share every second, the slow one every 4 s.
    for (let s = 1; s <= 60; s++) {
      clock.ms += 1000;
      share(1, 1, 3);
      if (s % 4 === 0) share(2, 1);
    }
    room.onEvent({ event: 'share', client: 2, worker: 'w', jobId: '1', accepted: false, reason: 'Duplicate share', difficulty: 1, shareDifficulty: 1 });
    room.onEvent({ event: 'share', client: 2, worker: 'w', jobId: '1', accepted: false, reason: 'Stale', difficulty: 1, shareDifficulty: 1 });
    const [fast, slow] = room.rows();
    expect(fast!.hashRate / HASHES_PER_DIFFICULTY).toBeCloseTo(1, 1);
    expect(slow!.hashRate / HASHES_PER_DIFFICULTY).toBeCloseTo(0.25, 1);
    expect(fast).toMatchObject({ worker: 'a.fast', agent: 'test/1', watts: 5, accepted: 60, rejected: 0, bestDifficulty: 3, connected: true });
    expect(slow).toMatchObject({ watts: null, accepted: 15, rejected: 2, problem: 'share rejected: Duplicate share' }); // a stale share is no problem
    room.onEvent({ event: 'protocol-error', client: 2, reason: 'not JSON' });
    expect(room.rows()[1]!.problem).toBe('sent something that is not Stratum: not JSON');
    room.onEvent({ event: 'block', client: 1, height: 1, hash: 'h', time: 0, difficulty: 1, subsidy: 50, finder: 'a.fast' });
    room.onEvent({ event: 'disconnect', client: 1, reason: 'gone' });
    const rows = room.rows();
    expect(rows.map((r) => r.worker)).toEqual(['a.slow', 'a.fast']); // connected first
    expect(rows[1]).toMatchObject({ connected: false, hashRate: 0, blocks: 1 });
  });

  it(`keeps at most ${MAX_MINERS} miners, forgetting departed ones first`, () => {
    const { room, join } = roomAt();
    for (let c = 1; c <= MAX_MINERS; c++) join(c, `a.${c}`);
    room.onEvent({ event: 'disconnect', client: 7, reason: 'gone' });
    join(1000, 'a.new');
    const rows = room.rows();
    expect(rows).toHaveLength(MAX_MINERS);
    expect(rows.some((r) => r.client === 7)).toBe(false);
    expect(rows.some((r) => r.client === 1000)).toBe(true);
  });
});

describe("a worker's password", () => {
  it.each([
    ['x,watts=3.5', { watts: 3.5 }],
    ['w=12', { watts: 12 }],
    ['d=1000 watts=2', { watts: 2 }],
    ['x', {}],
    ['watts=-1', {}],
    ['watts=1e9', {}],
    ['watts=abc', {}],
    [42, {}],
  ])('%j declares %j', (password, declared) => {
    expect(parseWorkerPassword(password)).toEqual(declared);
  });
});

describe("the lesson's figures", () => {
  it('hash and block shares, odds, cost and break-even per miner; pruned above the break-even price', () => {
    let t = 1000;
    const chain = new SimulatedChain({ difficulty: 0.01, targetBlockSeconds: 20, retargetWindow: 8, now: () => t });
    for (let i = 0; i < 4; i++) chain.addBlock(new Uint8Array(32), String(i), 'w');
    const D = chain.difficulty;
    const rows = [
      { client: 1, worker: 'a.big', agent: '', connected: true, connectedAt: 0, lastShareAt: null, accepted: 0, rejected: 0, blocks: 3, bestDifficulty: 0, hashRate: 3e6, watts: 10, problem: null },
      { client: 2, worker: 'a.small', agent: '', connected: true, connectedAt: 0, lastShareAt: null, accepted: 0, rejected: 0, blocks: 1, bestDifficulty: 0, hashRate: 1e6, watts: 20, problem: null },
      { client: 3, worker: 'a.quiet', agent: '', connected: true, connectedAt: 0, lastShareAt: null, accepted: 0, rejected: 0, blocks: 0, bestDifficulty: 0, hashRate: 0, watts: null, problem: null },
    ];
    const coinPrice = 0.001;
    const blockValue = 50 * coinPrice;
    const breakEvenSmall = breakEvenPricePerKwh(blockValue, 20, 1e6, D)!;
    const v = minersView(rows, chain, { pricePerKwh: breakEvenSmall * 1.01, coinPrice }, t);
    const [big, small, quiet] = v.miners;
    expect(v.roomHashRate).toBe(4e6);
    expect(big!.hashShare).toBeCloseTo(0.75, 9);
    expect(big!.blockShare).toBeCloseTo(0.75, 9);
    expect(big!.expectedSecondsToBlock).toBeCloseTo((D * HASHES_PER_DIFFICULTY) / 3e6, 6);
    expect(big!.odds.hour).toBeCloseTo(1 - Math.exp((-3e6 * 3600) / (D * HASHES_PER_DIFFICULTY)), 12);
    // kWh per block = watts × seconds per block ÷ 3.6e6; the break-even price makes cost = value.
    expect(small!.kwhPerBlock).toBeCloseTo((20 * (D * HASHES_PER_DIFFICULTY) / 1e6) / 3.6e6, 12);
    expect(small!.breakEvenPricePerKwh! * small!.kwhPerBlock!).toBeCloseTo(blockValue, 12);
    expect(small!.pruned).toBe(true); // just above its break-even
    expect(big!.pruned).toBe(false); // 6× as efficient
    expect(quiet).toMatchObject({ hashShare: 0, expectedSecondsToBlock: null, kwhPerBlock: null, breakEvenPricePerKwh: null, pruned: false });
    expect(v.roomWatts).toBe(30);
  });

  it("the chain's view: the window under way, issuance against the schedule, the next halving", () => {
    let t = 5000;
    const chain = new SimulatedChain({ difficulty: 1, targetBlockSeconds: 10, retargetWindow: 4, halvingInterval: 5, now: () => t });
    for (let i = 0; i < 6; i++) {
      t += 10;
      chain.addBlock(new Uint8Array(32), String(i), 'w');
    }
    t += 5;
    const v = chainView(chain, t);
    expect(v).toMatchObject({ height: 7, blocksFound: 6, subsidy: 25, retargetWindow: 4, halvingInterval: 5 });
    expect(v.window).toMatchObject({ blocks: 2, elapsedSeconds: 25, targetSeconds: 40, nextRetargetHeight: 9 });
    expect(v.issuance).toMatchObject({ issuedBtc: 4 * 50 + 2 * 25, scheduledHeight: 1 + 6.5, nextHalvingHeight: 10, scheduledBtcPerHour: 25 * 360 });
    expect(v.retargets).toHaveLength(1);
  });
});

describe('the controls', () => {
  it.each([
    ['{"targetBlockSeconds": 0}', /targetBlockSeconds .* between 1 and 3600, got 0/],
    ['{"pricePerKwh": -1}', /pricePerKwh .* between 0 and 100/],
    ['{"retargetWindow": 2.5}', /whole number/],
    ['{"retargetWindow": 100000}', /between 1 and 2016/],
    ['{"difficulty": "1"}', /expected a number/],
    ['{"speed": 1}', /unknown control 'speed'/],
    ['{}', /nothing to change/],
    ['[1]', /JSON object/],
    ['nope', /not JSON/],
  ])('%s is refused: %s', (body, message) => {
    const r = parseControlChange(body);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});

describe("the pool page's HTTP answers", () => {
  const PASSWORD = 'lesson';
  function host(password = PASSWORD, miners?: SimulatedMiners): LessonHost & { jobs: number } {
    let t = 1000;
    const chain = new SimulatedChain({ difficulty: 1, targetBlockSeconds: 20, retargetWindow: 8, now: () => t });
    const h = {
      chain, room: new Room(() => t * 1000), prices: { pricePerKwh: 0.3, coinPrice: 1 }, controlPassword: password,
      now: () => (t += 1) * 1000, jobs: 0, difficultyChanged: () => { h.jobs++; }, ...(miners ? { miners } : {}),
    };
    return h;
  }
  const req = (method: string, path: string, body = '', headers: Record<string, string> = {}): HttpRequest =>
    ({ method, path, body, headers: { host: '127.0.0.1:8081', ...headers }, client: '127.0.0.1' });
  const auth = { authorization: `Bearer ${PASSWORD}` };

  it('serves the page, the chain, the miners and the controls', () => {
    const h = host();
    const page = handleLessonRequest(req('GET', '/'), h);
    expect(page).toMatchObject({ status: 200, contentType: expect.stringMatching(/text\/html/) });
    expect(page.body).toMatch(/Hash rate ↔ probability/);
    expect(JSON.parse(handleLessonRequest(req('GET', '/api/chain'), h).body)).toMatchObject({ height: 1, targetBlockSeconds: 20 });
    for (let i = 0; i < 5; i++) h.chain.addBlock(new Uint8Array(32), String(i), 'w');
    const last2 = JSON.parse(handleLessonRequest({ ...req('GET', '/api/chain'), query: 'blocks=2' }, h).body);
    expect(last2.blocks.map((b: { hash: string }) => b.hash)).toEqual(['3', '4']);
    expect(last2.blocksFound).toBe(5);
    expect(JSON.parse(handleLessonRequest(req('GET', '/api/miners'), h).body)).toMatchObject({ miners: [], prices: { pricePerKwh: 0.3 } });
    expect(JSON.parse(handleLessonRequest(req('GET', '/api/controls'), h).body)).toMatchObject({ locked: false, values: { retargetWindow: 8 } });
    expect(handleLessonRequest(req('GET', '/api/nothing'), h).status).toBe(404);
    expect(handleLessonRequest(req('DELETE', '/api/chain'), h).status).toBe(405);
  });

  it('changes the controls with the password, whole or not at all', () => {
    const h = host();
    const throttle = new PasswordThrottle(() => 0);
    const post = (body: unknown, headers: Record<string, string> = auth) => handleLessonRequest(req('POST', '/api/controls', JSON.stringify(body), headers), h, throttle);
    expect(post({ targetBlockSeconds: 30 }, {}).status).toBe(401);
    expect(post({ targetBlockSeconds: 30 }, { authorization: 'Bearer wrong' })).toMatchObject({ status: 403, body: expect.stringMatching(/wrong password/) });
    expect(post({ targetBlockSeconds: 30 }).status).toBe(429); // the wrong one made this client wait
    throttle.succeeded('127.0.0.1');
    expect(post({ targetBlockSeconds: 30 }, { ...auth, origin: 'http://evil.example' }).status).toBe(403);
    const bad = post({ targetBlockSeconds: 30, pricePerKwh: -2 });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatch(/pricePerKwh .* nothing was changed/);
    expect(h.chain.targetBlockSeconds).toBe(20);
    const ok = post({ targetBlockSeconds: 30, retargetWindow: 4, difficulty: 2, pricePerKwh: 0.5, coinPrice: 7 });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).values).toMatchObject({ targetBlockSeconds: 30, retargetWindow: 4, pricePerKwh: 0.5, coinPrice: 7 });
    expect(h.chain.difficulty).toBeCloseTo(2, 4);
    expect(h.jobs).toBe(1); // a new job carries the new nbits
  });

  it('refuses every change when no control password was set', () => {
    const h = host('');
    const r = handleLessonRequest(req('POST', '/api/controls', '{"pricePerKwh":1}', auth), h);
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).error).toMatch(/--control-password/);
  });

  it('starts and stops simulated miners, and says so when there are none', async () => {
    const started: string[] = [];
    const miners: SimulatedMiners = {
      add: async () => { started.push(`sim-${started.length + 1}`); return started.at(-1)!; },
      stop: async (worker) => worker === 'a.sim-1',
    };
    const h = host(PASSWORD, miners);
    h.room.onEvent({ event: 'connect', client: 4, remote: '' });
    h.room.onEvent({ event: 'authorize', client: 4, worker: 'a.sim-1', ok: true });
    const post = (body: string) => handleMinersRequest(req('POST', '/api/miners', body, auth), h);
    expect(JSON.parse((await post('{"add":1}')).body)).toEqual({ added: 'sim-1' });
    expect(JSON.parse((await post('{"stop":4}')).body)).toEqual({ stopped: 4, worker: 'a.sim-1' });
    expect((await post('{"stop":5}')).status).toBe(404);
    expect((await post('{"explode":1}')).status).toBe(400);
    expect((await handleMinersRequest(req('POST', '/api/miners', '{"add":1}', auth), host())).status).toBe(409);
  });

  it('applies a control change to the chain as the next block will see it', () => {
    const h = host();
    applyControls(h, { retargetWindow: 2 });
    h.chain.addBlock(new Uint8Array(32), 'a', 'w');
    h.chain.addBlock(new Uint8Array(32), 'b', 'w');
    expect(h.chain.retargets).toHaveLength(1);
  });
});

describe("the demo's coin price", () => {
  it('puts the median miner in efficiency at 1.5 × the electricity price once the difficulty has settled', () => {
    const miners = [{ hashesPerSecond: 680_000, watts: 2.5 }, ...[0, 1, 2].map(simulatedMinerSpec)];
    const price = 0.3, blockSeconds = 20;
    const coinPrice = classroomCoinPrice(miners, blockSeconds, 50, price);
    const room = miners.reduce((s, m) => s + m.hashesPerSecond, 0);
    const settled = (room * blockSeconds) / HASHES_PER_DIFFICULTY;
    const breakEven = miners.map((m) => breakEvenPricePerKwh(50 * coinPrice, m.watts, m.hashesPerSecond, settled)!).sort((a, b) => a - b);
    expect(breakEven[1]).toBeCloseTo(1.5 * price, 9);
    expect(breakEven[0]).toBeLessThan(price); // someone mines at a loss
    expect(breakEven[3]).toBeGreaterThan(price);
  });
});

describe('a miner sending nonsense', () => {
  it('gets a clear note on the page; the pool and its page keep serving', async () => {
    const pool = new LocalPool({ port: 0, address: 'bcrt1qqurswpc8qurswpc8qurswpc8qurswpc8dxm0gk', difficulty: 1, chain: { difficulty: 1, targetBlockSeconds: 20, retargetWindow: 8 } });
    const page = await startLessonServer(pool, { port: 0, prices: { pricePerKwh: 0.3, coinPrice: 1 } });
    const port = await pool.start();
    try {
      const socket = net.connect(port, '127.0.0.1');
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write('{"id":1,"method":"mining.subscribe","params":[]}\nthis is not json\n');
      const miners = async () => ((await (await fetch(`${page.url}api/miners`)).json()) as { miners: Array<{ problem: string | null; connected: boolean }> }).miners;
      for (let i = 0; i < 200 && (await miners())[0]?.problem == null; i++) await new Promise((r) => setTimeout(r, 25));
      expect((await miners())[0]).toMatchObject({ connected: true, problem: 'sent something that is not Stratum: not JSON' });
      expect((await fetch(page.url)).status).toBe(200);
      socket.destroy();
    } finally {
      await page.close();
      await pool.stop();
    }
  });
});
