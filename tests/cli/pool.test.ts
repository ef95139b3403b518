import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { kilohash } from '../helpers/cli.ts';
import { startTestMiner } from '../helpers/test-miner.ts';

const BIN = fileURLToPath(new URL('../../bin/kilohash.js', import.meta.url));

describe('kilohash pool', () => {
  it('logs JSON events, serves a miner, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'pool', '--port', '0', '--page-port', '0', '--json', '--difficulty', '0.0001', '--vardiff', '0', '--job-version', '30000000', '--version-rule', 'or'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const events: Record<string, unknown>[] = [];
    const rl = createInterface({ input: child.stdout! });
    const listening = new Promise<number>((resolve) => {
      rl.on('line', (line) => {
        const e = JSON.parse(line);
        events.push(e);
        if (e.event === 'listening') resolve(e.port);
      });
    });
    const port = await listening;
    const url = `stratum+tcp://127.0.0.1:${port}`, user = 'bcrt1qqurswpc8qurswpc8qurswpc8qurswpc8dxm0gk.cli';
    const miner = startTestMiner(url, user, { pools: [{ url, user, password: 'x,watts=4' }] });
    await miner.until((ev) => ev.some((e) => e.type === 'authorized'));
    await miner.until((ev) => ev.some((e) => e.type === 'job'));
    expect(miner.client.currentJob!.job.version).toBe(0x30000000);
    await miner.mine(1);
    await miner.until(() => miner.client.stats.accepted === 1);
    // The pool's page (printed after 'listening') knows the miner and what it declared.
    const page = events.find((e) => e.event === 'page') as { url: string; controls: boolean };
    expect(page).toMatchObject({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/), controls: false });
    const room = (await (await fetch(`${page.url}api/miners`)).json()) as { miners: Array<{ worker: string; watts: number; accepted: number }> };
    expect(room.miners).toEqual([expect.objectContaining({ worker: 'bcrt1qqurswpc8qurswpc8qurswpc8qurswpc8dxm0gk.cli', watts: 4, accepted: 1 })]);
    const refused = await fetch(`${page.url}api/controls`, { method: 'POST', body: '{"pricePerKwh":1}' });
    expect(refused.status).toBe(403); // no --control-password: controls off
    miner.stop();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['listening', 'job', 'connect', 'subscribe', 'authorize', 'share']));
    expect(events.find((e) => e.event === 'share')).toMatchObject({ accepted: true });
    expect(typeof events[0]!.time).toBe('string');
  });

  it.each([
    [['--address', 'nope'], /--address: not a Bitcoin address/],
    [['--difficulty', '0'], /--difficulty/],
    [['--extranonce2-size', '17'], /--extranonce2-size/],
    [['--auth', 'maybe'], /--auth must be/],
    [['--version-rule', 'replace'], /--version-rule.*expected one of xor, or/],
    [['--job-version', '3'], /--job-version.*8 hex digits/],
    [['--price-kwh', '-1'], /--price-kwh.*0 or more/],
    [['--coin-price', '2e9'], /--coin-price must be at most/],
    [['--halving-interval', '0'], /--halving-interval/],
  ])('%j is a usage error', (args, message) => {
    const r = kilohash(['pool', '--port', '0', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
