/**
 * kh-bridge.js on Espruino's real interpreter (the Linux build, ESPRUINO=…/bin/espruino),
 * uploaded with EspruinoTools over its Telnet console inside a private network namespace.
 * The core conformance suite runs through it too (tests/core/conformance.test.ts, profile
 * `espruino`); this file covers the upload, the hop's error answers and the command line.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadBridge } from '../../host/espruino/upload.ts';
import { HOP_STATUS, OP, decodeReply, encodeRequest } from '../../host/espruino/hop.ts';
import { EspruinoLinux, espruinoMissing } from '../helpers/espruino-linux.ts';
import { kilohashAsync } from '../helpers/cli.ts';
import blocks from '../fixtures/blocks.json' with { type: 'json' };

const why = espruinoMissing();

describe.skipIf(why !== undefined)(`the bridge on Espruino's Linux interpreter${why ? ` (skipped: ${why})` : ''}`, () => {
  let board: EspruinoLinux;

  beforeAll(async () => {
    board = await EspruinoLinux.start();
  }, 60_000);
  afterAll(async () => board?.stop());

  it('an upload cut off halfway is reported as leaving no bridge, even over an earlier one', async () => {
    await uploadBridge(board.port, {});
    board.cutConnectionsAfter(2500);
    try {
      await expect(uploadBridge(board.port, {})).rejects.toThrow(/did not complete: the board does not run the bridge just sent/);
    } finally {
      board.cutConnectionsAfter(undefined);
    }
  }, 120_000);

  it('refuses pins the board does not have, naming them', async () => {
    await expect(uploadBridge(board.port, { sck: 'D1', cs: 'Q9' })).rejects.toThrow(/has no pin for cs Q9/);
  }, 120_000);

  it('is saved to flash: still there after a soft reset', async () => {
    const r = await uploadBridge(board.port, {});
    expect(r.version).toBe('1.0.0');
    expect(r.bytes).toBeGreaterThan(1000);
    const out = await board.repl('load()');
    expect(out).not.toMatch(/Uncaught/);
    expect(await board.repl('print("KH="+KH.VERSION)')).toMatch(/KH=1\.0\.0/);
    await board.installSpiShim();
  }, 120_000);

  it('answers a corrupted or over-long request line with an error message, and keeps serving', async () => {
    const port = Number(board.port.split(':').at(-1));
    const s = net.connect(port, '127.0.0.1');
    await new Promise((r) => s.once('connect', r));
    let buf = '';
    s.on('data', (d: Buffer) => { buf += d.toString('latin1'); });
    const nextLine = async (test: (l: string) => boolean): Promise<string> => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const lines = buf.split('\n');
        const i = lines.findIndex((l, k) => k < lines.length - 1 && test(l));
        if (i >= 0) { buf = lines.slice(i + 1).join('\n'); return lines[i]!; }
        if (Date.now() > deadline) throw new Error(`no such line in: ${buf.slice(-300)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    try {
      s.write('\n\x10KH.start({})\n');
      expect(await nextLine((l) => l.startsWith('KH '))).toMatch(/"bridge":"1\.0\.0".*"board":"LINUX"/);
      const good = encodeRequest(OP.XFER, 1, new Uint8Array(6));
      const flipped = good.slice(0, 4) + (good[4] === 'A' ? 'B' : 'A') + good.slice(5);
      s.write(flipped);
      expect(decodeReply(await nextLine((l) => decodeReply(l) !== undefined))).toMatchObject({ op: OP.BAD, status: HOP_STATUS.CRC });
      s.write(`${'A'.repeat(600)}\n`);
      expect(decodeReply(await nextLine((l) => decodeReply(l) !== undefined))).toMatchObject({ op: OP.BAD, status: HOP_STATUS.LINE });
      s.write(good);
      expect(decodeReply(await nextLine((l) => decodeReply(l) !== undefined))).toMatchObject({ op: OP.XFER | 0x80, seq: 1, status: HOP_STATUS.OK });
      s.write(encodeRequest(OP.QUIT, 2));
      expect(decodeReply(await nextLine((l) => decodeReply(l) !== undefined))).toMatchObject({ op: OP.QUIT | 0x80, seq: 2 });
    } finally {
      s.destroy();
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 60_000);

  it('kilohash espruino check reports the bridge, the core and the frame rate', async () => {
    const r = await kilohashAsync(['espruino', 'check', '--port', board.port, '--frames', '300', '--json'], 60_000);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { bridge: { bridge: string; board: string }; core: { engines: number }; framesPerSecond: number; retries: number };
    expect(out.bridge).toMatchObject({ bridge: '1.0.0', board: 'LINUX' });
    expect(out.core.engines).toBe(1);
    expect(out.framesPerSecond).toBeGreaterThan(0);
    console.info(`frames per second through the bridge on Espruino's Linux interpreter: ${out.framesPerSecond} (retries ${out.retries})`);
  }, 60_000);

  it('kilohash scan --core espruino:tcp://… finds a real block\'s nonce', async () => {
    const g = blocks.blocks[0]!;
    const r = await kilohashAsync(['scan', '--core', `espruino:${board.port}`, '--header', g.header, '--start', String(g.nonce - 2000), '--count', '4000', '--json'], 120_000);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((x) => JSON.parse(x) as Record<string, unknown>);
    expect(lines.filter((x) => !x.summary)).toEqual([{ nonce: g.nonce, hash: g.hash, difficulty: expect.any(Number) }]);
    expect(lines.at(-1)).toMatchObject({ summary: true, scanned: 4000, found: 1, hwErrors: 0 });
  }, 120_000);
});
