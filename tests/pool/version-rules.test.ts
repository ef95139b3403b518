/**
 * The local pool rebuilds a submitted version field the way real pools do: XOR as public-pool,
 * OR as ckpool, and refuses bits outside the granted mask. Driven over raw TCP, so the pool is
 * judged on exactly the bytes a miner sends, with shares chosen so the verdict is certain.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalPool } from '../../host/pool/server.ts';
import { DEMO_ADDRESS } from '../../host/cli/commands/pool.ts';
import { parseNotifyParams } from '../../src/stratum/notify.ts';
import { hexToBytes, u32ToHex } from '../../src/work/bytes.ts';
import { buildHeader, jobWork } from '../../src/work/job.ts';
import { NonceHasher } from '../../src/work/nonce-hasher.ts';
import { difficultyToTarget, hashMeetsTarget } from '../../src/work/target.ts';
import type { VersionRule } from '../../src/work/version-rolling.ts';

const DIFFICULTY = 1e-6;
const EXTRANONCE2 = '00000001';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

type Line = { id?: unknown; method?: string; params?: unknown[]; result?: unknown; error?: unknown };

/** A raw Stratum session: configure, subscribe, authorize, then the first job. */
async function session(rule: VersionRule, jobVersion: number) {
  const pool = new LocalPool({
    port: 0, address: DEMO_ADDRESS, difficulty: DIFFICULTY, jobVersion, quirks: { versionRule: rule },
    chain: { difficulty: 1000, targetBlockSeconds: 600, retargetWindow: 10 },
  });
  const port = await pool.start();
  cleanups.push(() => pool.stop());
  const socket = net.connect(port, '127.0.0.1');
  cleanups.push(() => { socket.destroy(); });
  const lines: Line[] = [];
  const waiters: Array<() => void> = [];
  let pending = '';
  socket.on('data', (d) => {
    const parts = (pending + d.toString()).split('\n');
    pending = parts.pop()!;
    for (const p of parts) if (p.trim()) lines.push(JSON.parse(p));
    for (const w of waiters.splice(0)) w();
  });
  const next = (pred: (l: Line) => boolean): Promise<Line> => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching line; got ${JSON.stringify(lines)}`)), 60_000);
    const check = () => {
      const hit = lines.find(pred);
      if (hit) { clearTimeout(timer); resolve(hit); } else waiters.push(check);
    };
    check();
  });
  const send = (m: object) => socket.write(JSON.stringify(m) + '\n');
  send({ id: 1, method: 'mining.configure', params: [['version-rolling'], { 'version-rolling.mask': '1fffe000' }] });
  send({ id: 2, method: 'mining.subscribe', params: ['version-rules-test'] });
  send({ id: 3, method: 'mining.authorize', params: [`${DEMO_ADDRESS}.t`, 'x'] });
  const configured = await next((l) => l.id === 1);
  const subscribed = await next((l) => l.id === 2);
  const notify = await next((l) => l.method === 'mining.notify');
  expect(configured.result).toMatchObject({ 'version-rolling': true, 'version-rolling.mask': '1fffe000' });
  const job = parseNotifyParams(notify.params);
  const extranonce1 = hexToBytes((subscribed.result as unknown[])[1] as string);
  const work = jobWork(job, extranonce1, hexToBytes(EXTRANONCE2));
  let nextId = 10;
  return {
    job,
    /** A nonce whose hash meets the share target under `hashed` and misses it under `not`. */
    nonceFor(hashed: number, not?: number): number {
      const target = difficultyToTarget(DIFFICULTY);
      const hasher = (v: number) => new NonceHasher(buildHeader({ ...job, version: v, merkleRoot: work.merkleRoot, nonce: 0 }));
      const yes = hasher(hashed);
      const no = not === undefined ? null : hasher(not);
      const out = new Uint8Array(32);
      for (let n = 0; ; n++) {
        if (hashMeetsTarget(yes.hash(n, out), target) && !(no && hashMeetsTarget(no.hash(n, out), target))) return n;
      }
    },
    async submit(nonce: number, field: number): Promise<Line> {
      const id = nextId++;
      send({ id, method: 'mining.submit', params: [`${DEMO_ADDRESS}.t`, job.jobId, EXTRANONCE2, u32ToHex(job.ntime), u32ToHex(nonce), u32ToHex(field)] });
      return next((l) => l.id === id);
    },
  };
}

describe('local pool version rules', () => {
  it.each(['xor', 'or'] as const)('%s: accepts what kilohash submits on a 30000000 job (header ^ job)', async (rule) => {
    const s = await session(rule, 0x30000000);
    expect(s.job.version).toBe(0x30000000);
    const reply = await s.submit(s.nonceFor(0x30004000, 0x20004000), 0x00004000);
    expect(reply).toMatchObject({ result: true, error: null });
  });

  it('a field that repeats the job bit: XOR (public-pool) judges the header without it, OR (ckpool) with it', async () => {
    const xor = await session('xor', 0x30000000);
    const onHeader = xor.nonceFor(0x30004000, 0x20004000);
    expect(await xor.submit(onHeader, 0x10004000)).toMatchObject({ result: null, error: [23, 'Low difficulty share', null] });
    const or = await session('or', 0x30000000);
    expect(await or.submit(or.nonceFor(0x30004000), 0x10004000)).toMatchObject({ result: true });
  });

  it('refuses a field with bits outside the granted mask', async () => {
    const s = await session('xor', 0x20000000);
    expect(await s.submit(s.nonceFor(0x20000001), 0x00000001)).toMatchObject({ error: [20, 'Invalid version bits', null] });
  });
});
