/**
 * `kilohash serial monitor` against a board on a real pseudo-terminal: the board is the
 * firmware's own code on the host (MiningSession logging its console lines, status every
 * second), its console carried to a pty by tests/helpers/pty-relay.py, the pty reached through
 * a stable path as udev gives a USB port (/dev/serial/by-id/…). Unplugging is the relay
 * exiting (the pty vanishes); plugging back is a new relay behind the same path.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleLine, parseConsoleLine, statusText } from '../../src/app/console-line.ts';
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import { showLine } from '../../host/cli/commands/serial.ts';
import { DEMO_ADDRESS } from '../../host/cli/commands/pool.ts';
import { MiningSession } from '../../host/miner/session.ts';
import { LocalPool } from '../../host/pool/server.ts';

const BIN = fileURLToPath(new URL('../../bin/kilohash.js', import.meta.url));
const RELAY = fileURLToPath(new URL('../helpers/pty-relay.py', import.meta.url));

describe('console lines', () => {
  it('reads back what the firmware writes, and leaves anything else as it came', () => {
    expect(parseConsoleLine(consoleLine('warn', 'Wi-Fi failed').trimEnd())).toEqual({ kind: 'log', level: 'warn', text: 'Wi-Fi failed' });
    expect(parseConsoleLine(consoleLine('info', statusText({ state: 'mining' })).trimEnd() + '\r')).toEqual({ kind: 'status', status: { state: 'mining' } });
    expect(parseConsoleLine('kilohash info: status {"cut off')).toEqual({ kind: 'log', level: 'info', text: 'status {"cut off' });
    expect(parseConsoleLine('ESP-ROM:esp32c3-api1-20210207')).toEqual({ kind: 'other', text: 'ESP-ROM:esp32c3-api1-20210207' });
    expect(parseConsoleLine('kilohash shout: hi')).toEqual({ kind: 'other', text: 'kilohash shout: hi' });
    expect(showLine({ kind: 'status', status: { state: 'mining' } })).toMatch(/^status \(not one this monitor reads\)/);
  });
});

describe('kilohash serial monitor on a pseudo-terminal', () => {
  const cleanups: Array<() => unknown> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('shows the log and status lines, and follows the board through an unplug', async () => {
    // The board: the firmware's miner, its console lines sent to whichever relay is connected.
    let consoleSocket: net.Socket | null = null;
    const server = net.createServer((s) => { consoleSocket = s; s.on('error', () => {}); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise((r) => server.close(() => r(undefined))));
    const pool = new LocalPool({ port: 0, address: DEMO_ADDRESS, difficulty: 0.0005, chain: { difficulty: 1000, targetBlockSeconds: 600, retargetWindow: 10 } });
    const poolPort = await pool.start();
    cleanups.push(() => pool.stop());

    const dir = mkdtempSync(join(tmpdir(), 'kh-serial-'));
    const link = join(dir, 'usb-Espressif_USB_JTAG_serial_debug_unit');
    const plugIn = async (): Promise<ChildProcess> => {
      const relay = spawn('python3', [RELAY, String((server.address() as net.AddressInfo).port)], { stdio: ['pipe', 'pipe', 'inherit'] });
      const path = await new Promise<string>((resolve) => createInterface({ input: relay.stdout! }).once('line', resolve));
      rmSync(link, { force: true });
      symlinkSync(path, link);
      return relay;
    };
    let relay = await plugIn();
    cleanups.push(() => relay.kill());

    const monitor = spawn(process.execPath, [BIN, 'serial', 'monitor', '--port', link, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => monitor.kill());
    const seen: Array<Record<string, unknown>> = [];
    const waiters: Array<{ test: (e: Record<string, unknown>) => boolean; resolve: () => void }> = [];
    createInterface({ input: monitor.stdout! }).on('line', (l) => {
      const e = JSON.parse(l) as Record<string, unknown>;
      seen.push(e);
      for (const w of [...waiters]) if (w.test(e)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); }
    });
    let stderr = '';
    monitor.stderr!.on('data', (b) => { stderr += String(b); });
    const next = (test: (e: Record<string, unknown>) => boolean, what: string, ms = 60_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms; monitor said ${JSON.stringify(seen.slice(-5))} ${stderr}`)), ms);
        waiters.push({ test, resolve: () => { clearTimeout(timer); resolve(); } });
      });

    await next((e) => e.event === 'open', 'open');
    // What an ESP32 prints before the firmware starts: shown as it came.
    await new Promise<void>((r) => { const t = setInterval(() => { if (consoleSocket) { clearInterval(t); r(); } }, 20); });
    consoleSocket!.write('ESP-ROM:esp32c3-api1-20210207\r\n');
    await next((e) => e.event === 'line' && e.kind === 'other' && e.text === 'ESP-ROM:esp32c3-api1-20210207', 'the ROM banner');
    const session = await MiningSession.start({
      settings: { ...DEFAULT_SETTINGS, stratumURL: `stratum+tcp://127.0.0.1:${poolPort}`, stratumUser: `${DEMO_ADDRESS}.usb` },
      core: { kind: 'model' },
      consoleStatusSeconds: 1,
      log: (level, text) => consoleSocket?.write(consoleLine(level, text)),
    });
    cleanups.push(() => session.stop());
    await next((e) => e.event === 'line' && e.kind === 'status' && (e.status as { state: string }).state === 'mining', 'status line');

    // Unplug: the pty vanishes with its relay. Then the same path comes back on a new one.
    const gone = next((e) => e.event === 'gone', 'gone');
    relay.stdin!.end();
    await gone;
    relay = await plugIn();
    await next((e) => e.event === 'open' && e.again === true, 'the port back');
    await next((e) => e.event === 'line' && e.kind === 'status', 'a status line after the replug');
    // The status goes to the console only: the log the status pages show keeps its room for real lines.
    expect(session.app.logs.text()).not.toMatch(/status \{/);
    // Shown as `kilohash mine` shows its status.
    const status = seen.filter((e) => e.kind === 'status').at(-1)!.status as Record<string, unknown>;
    expect(showLine({ kind: 'status', status })).toMatch(/^mining · [\d.]+ [kM]?H\/s .* · shares \d+\/\d+\/\d+ acc\/rej\/stale/);
    monitor.kill('SIGTERM');
    expect(await new Promise((r) => monitor.once('exit', (code) => r(code)))).toBe(0);
  }, 150_000);
});
