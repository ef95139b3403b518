import { describe, expect, it } from 'vitest';
import { StratumClient } from '../../src/stratum/client.ts';
import { bytesToHex } from '../../src/work/bytes.ts';
import { FakeClock, fakeNetwork } from '../helpers/fakes.ts';
import recorded from '../fixtures/pool-sessions.json' with { type: 'json' };

describe.each(recorded.sessions.map((s) => [s.name, s] as const))('replayed session: %s', (_name, s) => {
  it('reaches mining with the pool\'s parameters and counts every verdict', () => {
    const net = fakeNetwork();
    const client = new StratumClient({
      pools: [{ url: 'stratum+tcp://pool.example:3333', user: 'bc1qminer.rig' }],
      transport: net.factory,
      clock: new FakeClock(),
      extranonceSubscribe: true,
      onEvent: () => undefined,
    });
    client.start();
    const c = net.connections[0]!;
    c.options.onConnect();
    const idOf = (method: string) => c.lastRequest(method)!.id;
    c.send({ ...s.configure, id: idOf('mining.configure') });
    c.send({ ...s.subscribe, id: idOf('mining.subscribe') });
    for (const line of s.beforeAuthorize) c.send(line);
    c.send({ ...s.authorize, id: idOf('mining.authorize') });
    for (const line of s.after) c.send(line);

    expect(client.state.kind).toBe('mining');
    expect(client.versionMask).toBe(s.expect.versionMask);
    expect(client.difficulty).toBe(s.expect.difficulty);
    const job = client.currentJob!;
    expect(job.extranonce2Size).toBe(s.expect.extranonce2Size);
    expect(job.job.jobId).toBe(s.expect.jobs.at(-1));
    if ('extranonce1' in s.expect) expect(bytesToHex(job.extranonce1)).toBe(s.expect.extranonce1);

    for (const reply of s.submitReplies) {
      const outcome = client.submit({ jobId: job.job.jobId, extranonce2: new Uint8Array(job.extranonce2Size), ntime: job.job.ntime, nonce: 1, difficulty: 1e12 });
      expect(outcome).toEqual({ kind: 'sent' });
      c.send({ ...reply, id: idOf('mining.submit') });
    }
    expect(client.stats.accepted).toBe(s.expect.accepted);
    expect(client.stats.rejectReasons).toEqual(s.expect.rejectReasons);
    expect(client.stats.malformedMessages).toBe(0);
  });
});
