import { describe, expect, it } from 'vitest';
import { StratumClient, type StratumClientOptions } from '../../src/stratum/client.ts';
import type { Share, StratumEvent } from '../../src/stratum/events.ts';
import { FakeClock, fakeNetwork } from '../helpers/fakes.ts';
import jobs from '../fixtures/jobs.json' with { type: 'json' };

const NOTIFY = jobs.slush2023.notify.params as unknown[];
const notify = (id: string, clean: boolean) => ({ id: null, method: 'mining.notify', params: [id, ...NOTIFY.slice(1, 8), clean] });

function setup(extra: Partial<StratumClientOptions> = {}) {
  const clock = new FakeClock();
  const net = fakeNetwork();
  const events: StratumEvent[] = [];
  const logs: string[] = [];
  const client = new StratumClient({
    pools: [{ url: 'stratum+tcp://pool.example:3333', user: 'bc1qminer.rig', password: 'x' }],
    transport: net.factory,
    clock,
    random: () => 1,
    log: (level, text) => logs.push(`${level}: ${text}`),
    onEvent: (e) => events.push(e),
    ...extra,
  });
  client.start();
  const conn = () => net.connections[net.connections.length - 1]!;
  /** A standard session up to authorized, on the newest connection. */
  const handshake = (en1 = '08000002', en2Size = 4) => {
    conn().options.onConnect();
    if (conn().lastRequest('mining.configure')) conn().reply('mining.configure', { 'version-rolling': true, 'version-rolling.mask': '1fffe000' });
    conn().reply('mining.subscribe', [[['mining.set_difficulty', '1'], ['mining.notify', 'abc']], en1, en2Size]);
    conn().reply('mining.authorize', true);
  };
  return { clock, net, events, logs, client, conn, handshake };
}

const share = (jobId: string, difficulty: number, extra: Partial<Share> = {}): Share => ({
  jobId,
  extranonce2: Uint8Array.of(0, 0, 0, 1),
  ntime: 0x647025b5,
  nonce: 0x0a029ed1,
  difficulty,
  ...extra,
});

describe('session', () => {
  it('takes a notify with extra trailing params (some pools add their own) and says so once', () => {
    const { conn, client, logs, handshake } = setup();
    handshake();
    conn().send({ ...notify('j1', true), params: [...notify('j1', true).params, 'extra'] });
    conn().send({ ...notify('j2', false), params: [...notify('j2', false).params, 'extra'] });
    expect(client.currentJob?.job.jobId).toBe('j2');
    expect(logs.filter((l) => l.includes('extra mining.notify param'))).toEqual(['info: pool sends 1 extra mining.notify param(s) after the nine defined ones; ignoring them']);
  });

  it('sends configure and subscribe, then authorize; matches replies by id in any order', () => {
    const { conn, client, events } = setup();
    conn().options.onConnect();
    const methods = conn().sent.map((m) => m.method);
    expect(methods).toEqual(['mining.configure', 'mining.subscribe']);
    expect(conn().sent[0]!.params).toEqual([['version-rolling'], { 'version-rolling.mask': '1fffe000', 'version-rolling.min-bit-count': 2 }]);
    // The subscribe reply comes first, the configure reply last: ids decide, not order.
    conn().reply('mining.subscribe', [[['mining.notify', 'abc']], '', 8]);
    expect(conn().lastRequest('mining.authorize')!.params).toEqual(['bc1qminer.rig', 'x']);
    conn().send({ id: null, method: 'mining.set_difficulty', params: [512] });
    conn().send(notify('j1', true));
    conn().reply('mining.authorize', true);
    conn().reply('mining.configure', { 'version-rolling': true, 'version-rolling.mask': '00ffe000' });
    expect(client.versionMask).toBe(0x00ffe000); // the pool's mask, not the one we asked for
    expect(client.state.kind).toBe('mining');
    const job = events.find((e) => e.type === 'job');
    expect(job?.type === 'job' && job.job.difficulty).toBe(512);
    expect(job?.type === 'job' && job.job.extranonce1.length).toBe(0); // empty extranonce1 is valid
  });

  it('versionRolling: false sends no mining.configure; set_version_mask still applies', () => {
    const { conn, client } = setup({ versionRolling: false });
    conn().options.onConnect();
    expect(conn().sent.map((m) => m.method)).toEqual(['mining.subscribe']);
    conn().send({ id: null, method: 'mining.set_version_mask', params: ['1fffe000'] });
    expect(client.versionMask).toBe(0x1fffe000);
  });

  it('submits exact-width lowercase hex, with version bits as the 6th param', () => {
    const { conn, client, handshake } = setup();
    handshake('08000002', 4);
    conn().send(notify('j1', true));
    expect(client.submit(share('j1', 2, { versionBits: 0x00002000 }))).toEqual({ kind: 'sent' });
    expect(conn().lastRequest('mining.submit')!.params).toEqual(['bc1qminer.rig', 'j1', '00000001', '647025b5', '0a029ed1', '00002000']);
    client.submit(share('j1', 2, { nonce: 5 }));
    expect(conn().lastRequest('mining.submit')!.params).toEqual(['bc1qminer.rig', 'j1', '00000001', '647025b5', '00000005']);
  });

  it('a share must meet the difficulty of its job and the current one', () => {
    const { conn, client, handshake } = setup();
    handshake();
    conn().send({ id: null, method: 'mining.set_difficulty', params: [2] });
    conn().send(notify('a', true));
    conn().send({ id: null, method: 'mining.set_difficulty', params: [4] });
    conn().send(notify('b', false));
    expect(client.submit(share('a', 3))).toEqual({ kind: 'below-target', required: 4 });
    expect(client.submit(share('a', 5))).toEqual({ kind: 'sent' });
    conn().send({ id: null, method: 'mining.set_difficulty', params: [1] });
    expect(client.submit(share('b', 3))).toEqual({ kind: 'below-target', required: 4 });
    expect(client.submit(share('a', 0.5, { isBlockCandidate: true }))).toEqual({ kind: 'sent' });
    expect(client.stats.belowTarget).toBe(2);
  });

  it('clean_jobs drops older jobs; without it older jobs stay valid', () => {
    const { conn, client, handshake } = setup();
    handshake();
    conn().send(notify('a', true));
    conn().send(notify('b', false));
    expect(client.submit(share('a', 2)).kind).toBe('sent');
    conn().send(notify('c', true));
    expect(client.submit(share('b', 2))).toEqual({ kind: 'stale', reason: 'job no longer valid' });
    expect(client.stats.stale).toBe(1);
  });

  it('counts accepted and rejected (by reason, in every error shape)', () => {
    const { conn, client, handshake, events } = setup();
    handshake();
    conn().send(notify('a', true));
    const verdicts: unknown[] = [];
    const shapes = [
      [null, true],
      [[23, 'Low difficulty share', null], null],
      [[21, 'Job not found'], null],
      ['Duplicate share', null],
      [{ code: 24, message: 'Unauthorized worker' }, null],
      [null, false, 'Stale'],
      [undefined, false],
    ] as const;
    for (const [error, result, rejectReason] of shapes) {
      client.submit(share('a', 2));
      const id = conn().lastRequest('mining.submit')!.id;
      const msg: Record<string, unknown> = { id, result };
      if (error !== undefined) msg.error = error;
      if (rejectReason) msg['reject-reason'] = rejectReason;
      conn().send(msg);
    }
    for (const e of events) if (e.type === 'share') verdicts.push(e.verdict);
    expect(client.stats.accepted).toBe(1);
    expect(client.stats.rejected).toBe(6);
    expect(client.stats.rejectReasons).toEqual({
      'Low difficulty share': 1,
      'Job not found': 1,
      'Duplicate share': 1,
      'Unauthorized worker': 1,
      Stale: 1,
      rejected: 1,
    });
    expect(verdicts[1]).toEqual({ kind: 'rejected', reason: 'Low difficulty share', code: 23 });
  });

  it('answers client.get_version and mining.ping; ignores unknown methods and junk without dropping the session', () => {
    const { conn, client, handshake, logs } = setup();
    handshake();
    conn().send({ id: 77, method: 'client.get_version', params: [] });
    expect(conn().sent.at(-1)).toEqual({ id: 77, result: 'kilohash/0.1.0', error: null });
    conn().send({ id: 'p1', method: 'mining.ping', params: [] });
    expect(conn().sent.at(-1)).toEqual({ id: 'p1', result: 'pong', error: null });
    conn().send({ id: 78, method: 'mining.frobnicate', params: [] });
    expect(conn().sent.at(-1)).toMatchObject({ id: 78, error: [20, 'Method not found', null] });
    conn().send({ id: null, method: 'client.show_message', params: ['hello miners'] });
    conn().push('not json at all\n{"id":null,"method":"mining.notify","params":["x"]}\n[1,2]\n');
    conn().send({ id: null, method: 'mining.set_difficulty', params: [-1] });
    conn().send({ id: 999, result: true, error: null }); // a reply to nothing
    expect(client.stats.malformedMessages).toBe(4);
    expect(client.state.kind).toBe('mining');
    conn().send(notify('ok', true));
    expect(client.currentJob?.job.jobId).toBe('ok');
    expect(logs.some((l) => l.includes('unknown method mining.frobnicate'))).toBe(true);
  });

  it('drops an over-long line and resynchronises on the next one', () => {
    const { conn, client, handshake } = setup({ maxLineBytes: 4096 });
    handshake();
    conn().push('{"id":null,"method":"mining.notify","params":["' + 'a'.repeat(10_000));
    conn().push('"]}\n');
    conn().send(notify('after', true));
    expect(client.stats.overlongLines).toBe(1);
    expect(client.currentJob?.job.jobId).toBe('after');
  });

  it('handles lines split across reads and several lines per read', () => {
    const { conn, client, handshake } = setup();
    handshake();
    const text = JSON.stringify(notify('s1', true)) + '\n' + JSON.stringify(notify('s2', false)) + '\n';
    for (let i = 0; i < text.length; i += 7) conn().push(text.slice(i, i + 7));
    expect(client.currentJob?.job.jobId).toBe('s2');
  });

  it('applies mining.set_extranonce to the jobs that follow', () => {
    const { conn, client, handshake } = setup({ extranonceSubscribe: true });
    handshake('aaaaaaaa', 4);
    expect(conn().lastRequest('mining.extranonce.subscribe')).toBeDefined();
    conn().send(notify('a', true));
    conn().send({ id: null, method: 'mining.set_extranonce', params: ['bbbb', 6] });
    conn().send(notify('b', true));
    expect(Array.from(client.currentJob!.extranonce1)).toEqual([0xbb, 0xbb]);
    expect(client.currentJob!.extranonce2Size).toBe(6);
  });
});

describe('connection management', () => {
  it('times out a silent subscribe and reconnects with growing, jittered backoff', () => {
    const { conn, net, clock, events } = setup({ requestTimeoutMs: 5000, backoff: { initialMs: 1000, maxMs: 8000 } });
    for (let attempt = 1; attempt <= 5; attempt++) {
      conn().options.onConnect();
      clock.advance(5000);
      const d = events.filter((e) => e.type === 'disconnected').at(-1);
      expect(d?.type === 'disconnected' && d.retryInMs).toBe(Math.min(8000, 1000 * 2 ** (attempt - 1)));
      clock.advance(Math.min(8000, 1000 * 2 ** (attempt - 1)));
    }
    expect(net.connections).toHaveLength(6);
  });

  it('jitter stays within half to all of the delay', async () => {
    const { backoffDelay } = await import('../../src/stratum/backoff.ts');
    for (const r of [0, 0.3, 0.999]) {
      const d = backoffDelay(3, { initialMs: 1000, maxMs: 60_000 }, () => r);
      expect(d).toBeGreaterThanOrEqual(2000);
      expect(d).toBeLessThanOrEqual(4000);
    }
  });

  it('fails over to the backup after repeated failures and returns to the primary later', () => {
    const { net, clock, events, client, handshake } = setup({
      pools: [
        { url: 'stratum+tcp://primary.example:3333', user: 'u' },
        { url: 'stratum+ssl://backup.example:443', user: 'u2' },
      ],
      failoverAfter: 3,
      returnToPrimaryMs: 60_000,
    });
    for (let i = 0; i < 3; i++) {
      const n = net.connections.length;
      net.connections.at(-1)!.drop('refused');
      while (net.connections.length === n) clock.advance(100); // wait out the backoff only
    }
    expect(events.some((e) => e.type === 'failover' && e.toIndex === 1)).toBe(true);
    const backup = net.connections.at(-1)!;
    expect(backup.options).toMatchObject({ host: 'backup.example', port: 443, tls: true });
    handshake();
    expect(client.activePool.user).toBe('u2');
    clock.advance(60_000);
    expect(backup.closedByClient).toBe(true);
    expect(net.connections.at(-1)!.options.host).toBe('primary.example');
  });

  it('an idle connection is closed and reopened', () => {
    const { net, clock, handshake } = setup({ idleTimeoutMs: 120_000 });
    handshake();
    clock.advance(119_000);
    expect(net.connections).toHaveLength(1);
    clock.advance(2_000);
    expect(net.connections[0]!.closedByClient).toBe(true);
    clock.advance(5_000);
    expect(net.connections).toHaveLength(2);
  });

  it('a share found while disconnected is sent after a resumed session, or counted stale after a new one', () => {
    const { conn, clock, client, handshake, events } = setup();
    handshake('11111111');
    conn().send(notify('a', true));
    conn().drop();
    expect(client.submit(share('a', 2))).toEqual({ kind: 'queued' });
    clock.advance(2000);
    // Same extranonce1 back: the pool resumed our session (we sent the session id).
    conn().options.onConnect();
    expect(conn().lastRequest('mining.subscribe')!.params).toEqual(['kilohash/0.1.0', 'abc']);
    conn().reply('mining.subscribe', [[['mining.notify', 'abc']], '11111111', 4]);
    conn().reply('mining.authorize', true);
    expect(conn().lastRequest('mining.submit')!.params).toContain('a');
    conn().reply('mining.submit', true);
    expect(client.stats.accepted).toBe(1);

    conn().drop();
    client.submit(share('a', 2, { nonce: 9 }));
    clock.advance(2000);
    handshake('22222222'); // a new session: the old job is not ours any more
    expect(conn().lastRequest('mining.submit')).toBeUndefined();
    expect(client.stats.stale).toBe(1);
    expect(events.some((e) => e.type === 'jobs-reset')).toBe(true);
  });

  it('a share in flight when the connection drops is sent again after the resume', () => {
    const { conn, clock, client, handshake } = setup();
    handshake('11111111');
    conn().send(notify('a', true));
    client.submit(share('a', 2));
    conn().drop();
    clock.advance(2000);
    handshake('11111111');
    expect(conn().lastRequest('mining.submit')).toBeDefined();
    expect(client.queuedShares).toBe(0);
  });

  it('a share still unanswered when its connection ends is settled after the reconnect, never by another connection\'s reply', () => {
    const { conn, clock, client, handshake } = setup({ requestTimeoutMs: 5000 });
    handshake('11111111');
    conn().send(notify('a', true));
    client.submit(share('a', 2));
    const id = conn().lastRequest('mining.submit')!.id;
    clock.advance(6000);
    expect(client.stats.unanswered).toBe(1);
    conn().drop();
    clock.advance(2000);
    handshake('22222222'); // a new session: the share's job is not ours any more
    expect(client.stats).toMatchObject({ unanswered: 0, stale: 1, accepted: 0, rejected: 0 });
    expect(conn().lastRequest('mining.submit')).toBeUndefined();
    // Request ids restart with the connection: a reply here with the old submit's id (nothing
    // of this connection's is outstanding under it) must not be taken as that share's verdict.
    expect(conn().sent.some((m) => m.id === id && m.method !== 'mining.submit')).toBe(false);
    conn().send({ id, result: true, error: null });
    expect(client.stats).toMatchObject({ unanswered: 0, stale: 1, accepted: 0, rejected: 0 });
  });

  it('block candidates jump the queue', () => {
    const { conn, clock, client, handshake } = setup();
    handshake('11111111');
    conn().send(notify('a', true));
    conn().drop();
    client.submit(share('a', 2, { nonce: 1 }));
    client.submit(share('a', 1e9, { nonce: 2, isBlockCandidate: true }));
    clock.advance(2000);
    handshake('11111111');
    const submits = conn().sent.filter((m) => m.method === 'mining.submit');
    expect((submits[0]!.params as string[])[4]).toBe('00000002');
  });

  it('client.reconnect stays on the same host unless another host is allowed', () => {
    const a = setup();
    a.handshake();
    a.conn().send({ id: null, method: 'client.reconnect', params: ['other.example', 4444, 1] });
    a.clock.advance(1000);
    expect(a.conn().options).toMatchObject({ host: 'pool.example', port: 3333 });
    const b = setup({ allowReconnectToOtherHost: true });
    b.handshake();
    b.conn().send({ id: null, method: 'client.reconnect', params: ['other.example', '4444', 0] });
    b.clock.advance(1);
    expect(b.conn().options).toMatchObject({ host: 'other.example', port: 4444 });
  });

  it('a refused authorization is reported and retried with backoff, not in a hot loop', () => {
    const { conn, net, clock, events } = setup();
    conn().options.onConnect();
    conn().reply('mining.configure', false);
    conn().reply('mining.subscribe', [null, '00', 4]);
    conn().reply('mining.authorize', null, [24, 'Invalid address', null]);
    expect(events.find((e) => e.type === 'auth-failed')).toMatchObject({ error: { code: 24, message: 'Invalid address' } });
    clock.advance(500);
    expect(net.connections).toHaveLength(1);
  });

  it('refuses a bad pool URL with a clear error', () => {
    expect(() => setup({ pools: [{ url: 'http://pool:80', user: 'u' }] })).toThrow("pool url: unknown scheme 'http'");
    expect(() => setup({ pools: [{ url: 'stratum+tcp://pool', user: 'u' }] })).toThrow('expected host:port');
  });
});
