/**
 * `kilohash serial setup` against a board on a real pseudo-terminal: the board is the
 * firmware's own MinerApp on the host with the console commands (src/app/console-commands.ts)
 * reading its console, carried to a pty by tests/helpers/pty-relay.py.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleCommands } from '../../src/app/console-commands.ts';
import { consoleLine, replyLine } from '../../src/app/console-line.ts';
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import { LineFramer } from '../../src/stratum/line-framer.ts';
import { PasswordThrottle } from '../../src/ui/request-guard.ts';
import { DEMO_ADDRESS } from '../../host/cli/commands/pool.ts';
import { MiningSession } from '../../host/miner/session.ts';
import { LocalPool } from '../../host/pool/server.ts';
import { kilohashAsync } from '../helpers/cli.ts';

const RELAY = fileURLToPath(new URL('../helpers/pty-relay.py', import.meta.url));

describe('kilohash serial setup on a pseudo-terminal', () => {
  const cleanups: Array<() => unknown> = [];
  let session: MiningSession;
  let pty: string;

  beforeAll(async () => {
    const pool = new LocalPool({ port: 0, address: DEMO_ADDRESS, difficulty: 0.0005, chain: { difficulty: 1000, targetBlockSeconds: 600, retargetWindow: 10 } });
    const poolPort = await pool.start();
    cleanups.push(() => pool.stop());
    session = await MiningSession.start({
      settings: { ...DEFAULT_SETTINGS, stratumURL: `stratum+tcp://127.0.0.1:${poolPort}`, stratumUser: `${DEMO_ADDRESS}.usb`, adminPassword: 'hunter2' },
      core: { kind: 'model' },
    });
    cleanups.push(() => session.stop());
    // The board's console: every command line answered, a log line now and then in between.
    const commands = new ConsoleCommands(session.app.api, new PasswordThrottle(() => Date.now()));
    const server = net.createServer((s) => {
      s.on('error', () => {});
      const framer = new LineFramer({
        onLine: (line) => {
          s.write(consoleLine('info', 'share accepted: difficulty 0.0006'));
          const reply = commands.handle(line);
          if (reply) s.write(replyLine(reply));
        },
        onOverflow: () => undefined,
      });
      s.on('data', (b: Buffer) => framer.push(b));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise((r) => server.close(() => r(undefined))));
    const relay = spawn('python3', [RELAY, String((server.address() as net.AddressInfo).port)], { stdio: ['pipe', 'pipe', 'inherit'] });
    cleanups.push(() => relay.kill());
    pty = await new Promise<string>((resolve) => createInterface({ input: relay.stdout! }).once('line', resolve));
  }, 60_000);

  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it("reports each field's verdict, and saves nothing when one is refused", async () => {
    const r = await kilohashAsync(['serial', 'setup', '--port', pty, '--admin-password', 'hunter2', '--wifi-ssid', 'Lab Net', '--set', 'power=lots'], 60_000);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^wifiSSID: ok$/m);
    expect(r.stdout).toMatch(/^power: refused: power /m);
    expect(r.stderr).toMatch(/nothing was changed: a field was refused/);
    expect(session.settings.wifiSSID).toBe('');
  }, 60_000);

  it('refuses a wrong admin password by name', async () => {
    const r = await kilohashAsync(['serial', 'setup', '--port', pty, '--admin-password', 'nope', '--wifi-ssid', 'Lab Net'], 60_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refused the admin password: wrong password/);
  }, 60_000);

  it('configures the board and says so; the board has the new settings', async () => {
    // The wrong password above made the console wait a second before it checks another.
    await new Promise((r) => setTimeout(r, 1100));
    const r = await kilohashAsync(['serial', 'setup', '--port', pty, '--admin-password', 'hunter2', '--wifi-ssid', 'Lab Net', '--wifi-password', 's3cret-pass', '--pool-password', 'x,watts=3', '--json'], 60_000);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ fields: { wifiSSID: { ok: true }, wifiPassword: { ok: true }, stratumPassword: { ok: true } }, saved: true });
    expect(r.stdout).not.toMatch(/s3cret/); // secrets are not echoed
    expect(session.settings).toMatchObject({ wifiSSID: 'Lab Net', wifiPassword: 's3cret-pass', stratumPassword: 'x,watts=3' });
  }, 60_000);

  it('names the port and the cause when there is no board, and when nothing answers', async () => {
    const missing = await kilohashAsync(['serial', 'setup', '--port', '/dev/ttyNOPE0', '--wifi-ssid', 'x'], 30_000);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot open \/dev\/ttyNOPE0: no such port/);
    const nothing = await kilohashAsync(['serial', 'setup', '--wifi-ssid', 'x', '--port', 'tcp://127.0.0.1:1'], 30_000);
    expect(nothing.code).toBe(1);
    const usage = await kilohashAsync(['serial', 'setup', '--port', pty], 30_000);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/nothing to set/);
  }, 90_000);
});
