/**
 * The Espruino bridge's protocol: host link ⇄ kh-bridge.js ⇄ the core model, with the bridge
 * running under a Node stand-in for Espruino's API (tests/helpers/fake-espruino.ts) so that it
 * runs on every machine. bridge-linux.test.ts runs the same program on the real interpreter.
 */
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { CoreDriver } from '../../src/core/driver.ts';
import { SELF_TEST } from '../../src/core/self-test.ts';
import { ModelLink } from '../../src/core/model/model-link.ts';
import { PROTOCOL_VERSION } from '../../src/core/protocol.ts';
import { hexToBytes } from '../../src/work/bytes.ts';
import { EspruinoLink } from '../../host/espruino/espruino-link.ts';
import { HOP_STATUS, OP, decodeReply, encodeRequest } from '../../host/espruino/hop.ts';
import { parseConsolePort } from '../../host/serial/console-port.ts';
import { scanRange } from '../../host/core/scan.ts';
import { keepAliveClock } from '../../host/platform/node.ts';
import { FakeEspruino, type FakeEspruinoOptions } from '../helpers/fake-espruino.ts';
import { randomHeader, referenceNonces } from '../helpers/reference-nonces.ts';
import { kilohashAsync } from '../helpers/cli.ts';
import blocks from '../fixtures/blocks.json' with { type: 'json' };

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function board(o: Partial<FakeEspruinoOptions> = {}): Promise<FakeEspruino> {
  const model = new ModelLink({ clock: keepAliveClock, defer: setImmediate });
  const b = await FakeEspruino.start({ transfer: (f) => { model.transfer(f); return f; }, ...o });
  cleanup.push(() => model.close());
  cleanup.push(() => b.stop());
  return b;
}

function link(port: string, o: Partial<ConstructorParameters<typeof EspruinoLink>[0]> = {}): EspruinoLink {
  const l = new EspruinoLink({ port, replyTimeoutMs: 2000, ...o });
  cleanup.push(() => l.close());
  return l;
}

/** A TCP port that accepts and then does `behave` with each connection. */
async function server(behave: (s: net.Socket) => void): Promise<string> {
  const open = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    open.add(s);
    s.on('error', () => undefined);
    behave(s);
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise<void>((resolve) => {
    for (const s of open) s.destroy();
    srv.close(() => resolve());
  }));
  return `tcp://127.0.0.1:${(srv.address() as net.AddressInfo).port}`;
}

describe('the serial hop format', () => {
  it('carries a frame and its CRC, and refuses a line with any character changed', () => {
    const frame = Uint8Array.from({ length: 70 }, (_, i) => (i * 37) & 0xff);
    const line = encodeRequest(OP.XFER, 7, frame);
    expect(line.endsWith('\n')).toBe(true);
    // A reply has the same layout with a status byte after seq: build one by hand.
    const reply = Buffer.alloc(frame.length + 8);
    reply.set([OP.XFER | 0x80, 7, HOP_STATUS.OK, frame.length]);
    reply.set(frame, 4);
    reply.writeUInt32LE(crc32(reply.subarray(0, frame.length + 4)), frame.length + 4);
    const text = reply.toString('base64');
    expect(decodeReply(text)).toEqual({ op: OP.XFER | 0x80, seq: 7, status: 0, data: frame });
    for (let i = 0; i < text.length - 2; i += 5) {
      const bad = text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1);
      expect(decodeReply(bad), `character ${i}`).toBeUndefined();
    }
    expect(decodeReply('not base64 at all!')).toBeUndefined();
    expect(decodeReply(text.slice(0, -4))).toBeUndefined();
    expect(() => encodeRequest(OP.XFER, 1, new Uint8Array(256))).toThrow(/at most 255/);
  });

  it('reads ports as serial paths with an optional baud, or tcp://host:port', () => {
    expect(parseConsolePort('/dev/ttyACM0')).toMatchObject({ kind: 'serial', path: '/dev/ttyACM0', baud: 115200 });
    expect(parseConsolePort('/dev/ttyUSB1@921600')).toMatchObject({ kind: 'serial', path: '/dev/ttyUSB1', baud: 921600 });
    expect(parseConsolePort('tcp://192.168.4.1:23')).toMatchObject({ kind: 'tcp', host: '192.168.4.1', port: 23 });
    expect(parseConsolePort('tcp://[::1]:2323')).toMatchObject({ kind: 'tcp', host: '::1', port: 2323 });
    expect(() => parseConsolePort('tcp://host')).toThrow(/tcp:\/\/host:port/);
    expect(() => parseConsolePort('/dev/ttyUSB0@fast')).toThrow(/baud rate/);
    expect(() => parseConsolePort('tcp://h:70000')).toThrow(/1–65535/);
  });
});

describe('host driver → bridge → core model', () => {
  it('says hello with its version and bus, and the core passes identity and self-test through it', async () => {
    const b = await board();
    const l = link(b.port);
    const hello = await l.started();
    expect(hello).toMatchObject({ bridge: '1.0.0', board: 'FAKE', console: 'USB', spi: { bus: 'SPI1', cs: 'B6', baud: 1_000_000 } });
    expect(b.bridged).toBe(true);
    const d = new CoreDriver({ link: l, clock: keepAliveClock });
    expect((await d.probe()).version).toBe(PROTOCOL_VERSION);
    expect(await d.selfTest(30_000)).toMatchObject({ ok: true, found: [SELF_TEST.nonce] });
    await l.close();
    expect(b.bridged, 'QUIT gives the console back to the REPL').toBe(false);
  });

  it('finds a real block\'s nonce', async () => {
    const b = await board();
    const l = link(b.port);
    const block = blocks.blocks[1]!;
    const first = block.nonce - 2000;
    const s = await scanRange({ link: l, clock: keepAliveClock, header: hexToBytes(block.header), start: first, count: 4000, workSize: 1000, pollMs: 2 });
    expect(s.nonces.map((f) => f.nonce)).toEqual(referenceNonces(hexToBytes(block.header), first, 4000, 32));
    expect(s.nonces.map((f) => f.nonce)).toContain(block.nonce);
  });

  it('loses and repeats nothing when one line in ten is corrupted on the hop, either way', async () => {
    const b = await board({ corruptLines: 0.1, seed: 42 });
    const l = link(b.port, { replyTimeoutMs: 300, attempts: 8 });
    const header = randomHeader(0xe5);
    // ~2 hits per work, so two queued works never fill the 16-deep FIFO between slow polls.
    const s = await scanRange({ link: l, clock: keepAliveClock, header, start: 1000, count: 60_000, thresholdBits: 10, workSize: 2000, pollMs: 1 });
    expect(s.nonces.map((f) => f.nonce)).toEqual(referenceNonces(header, 1000, 60_000, 10));
    expect(s.hwErrors).toBe(0);
    expect(b.corrupted).toBeGreaterThan(5);
    expect(l.retries).toBeGreaterThan(0);
    // Exactly once: every frame the driver sent ran on the bus once, however often it crossed.
    expect(b.spiFrames).toBe(l.frames);
  }, 60_000);
});

const python = spawnSync('python3', ['--version']).status === 0;

describe.skipIf(!python)(`over a serial device path${python ? '' : ' (skipped: python3 is needed to open a pseudo-terminal)'}`, () => {
  it('the link opens a real pseudo-terminal with the serialport package and the core answers through it', async () => {
    const b = await board();
    const relay = spawn('python3', [new URL('../helpers/pty-relay.py', import.meta.url).pathname, b.port.split(':').at(-1)!], { stdio: ['pipe', 'pipe', 'inherit'] });
    cleanup.push(() => { relay.stdin.end(); relay.kill(); });
    const path = await new Promise<string>((resolve) => relay.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
    expect(path).toMatch(/^\/dev\/pts\/\d+$/);
    const l = link(`${path}@921600`);
    expect((await l.started()).console).toBe('USB');
    const d = new CoreDriver({ link: l, clock: keepAliveClock });
    expect(await d.selfTest(30_000)).toMatchObject({ ok: true, found: [SELF_TEST.nonce] });
  }, 60_000);
});

describe('bad input: a clear message and no hang', () => {
  it('an Espruino without the bridge', async () => {
    const b = await board({ bridge: false });
    await expect(link(b.port).started()).rejects.toThrow(/runs Espruino but not the kilohash bridge: run `kilohash espruino upload --port tcp:/);
  });

  it('pins the board does not have', async () => {
    const b = await board();
    await expect(link(b.port, { spi: { cs: 'Q9' } }).started()).rejects.toThrow(/refused the set-up: this board has no pin "Q9" \(for cs\)/);
    expect(b.bridged).toBe(false);
  });

  it('a bridge left running by an earlier session is stopped and started again', async () => {
    const b = await board();
    await link(b.port).started();
    // A second host process takes the port without the first one's QUIT; a USB console stays
    // with the bridge, so the new start line reaches the bridge, not the REPL.
    expect(b.bridged).toBe(true);
    const l2 = link(b.port);
    expect((await l2.started()).bridge).toBe('1.0.0');
    const d = new CoreDriver({ link: l2, clock: keepAliveClock });
    expect((await d.probe()).version).toBe(PROTOCOL_VERSION);
  });

  it('nothing answering, and something else answering', async () => {
    const silent = await server(() => undefined);
    await expect(link(silent, { startTimeoutMs: 300 }).started()).rejects.toThrow(/no answer from the kilohash bridge on tcp:.*is an Espruino board on it/);
    const chatty = await server((s) => s.write('220 mail.example ESMTP\r\n'));
    await expect(link(chatty, { startTimeoutMs: 300 }).started()).rejects.toThrow(/answered, but not as the kilohash bridge: "220 mail.example ESMTP"/);
    const refused = await server(() => undefined);
    await new Promise((r) => setTimeout(r, 0));
    const port = Number(refused.split(':').at(-1));
    await cleanup.pop()!(); // close that server: the port now refuses
    await expect(link(`tcp://127.0.0.1:${port}`).started()).rejects.toThrow(/cannot open tcp:\/\/127.0.0.1:\d+: connection refused/);
  });

  it('a board unplugged mid-frame fails the transfer at once', async () => {
    let sock: net.Socket | undefined;
    const port = await server((s) => {
      sock = s;
      s.on('data', (d: Buffer) => {
        if (d.toString('latin1').includes('KH.start')) s.write('KH {"bridge":"1.0.0","console":"USB","spi":{}}\n');
        else s.destroy(); // the first frame: the cable comes out
      });
    });
    const l = link(port);
    await l.started();
    const t0 = Date.now();
    await expect(l.transfer(new Uint8Array(8))).rejects.toThrow(/closed \(board unplugged or connection dropped\)|port closed/);
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(sock).toBeDefined();
  });
});

describe('kilohash scan --core espruino:<port>', () => {
  it('finds the genesis nonce through the bridge', async () => {
    const b = await board();
    const g = blocks.blocks[0]!;
    const r = await kilohashAsync(['scan', '--core', `espruino:${b.port}`, '--header', g.header, '--start', String(g.nonce - 3000), '--count', '6000', '--json'], 60_000);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((x) => JSON.parse(x) as Record<string, unknown>);
    expect(lines.filter((x) => !x.summary)).toEqual([{ nonce: g.nonce, hash: g.hash, difficulty: expect.any(Number) }]);
    expect(lines.at(-1)).toMatchObject({ summary: true, core: `espruino:${b.port}`, scanned: 6000, found: 1, hwErrors: 0 });
  }, 60_000);

  it('kilohash demo --core espruino:<port> mines shares through it and gives the console back', async () => {
    const b = await board();
    const r = await kilohashAsync(['demo', '--core', `espruino:${b.port}`, '--shares', '2', '--duration', '240', '--json'], 300_000);
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout.trim().split('\n').map((x) => JSON.parse(x) as { event: string; verdict?: string; selfTest?: { ok: boolean } });
    expect(events.find((e) => e.event === 'core-ready')?.selfTest?.ok).toBe(true);
    expect(events.filter((e) => e.event === 'share' && e.verdict === 'accepted').length).toBeGreaterThanOrEqual(2);
    expect(b.bridged).toBe(false);
  }, 300_000);

  it('names the port and the cause when there is no board', async () => {
    const r = await kilohashAsync(['scan', '--core', 'espruino:/dev/kh-no-such-port', '--header', blocks.blocks[0]!.header, '--count', '10'], 30_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot open \/dev\/kh-no-such-port: no such port/);
  });
});

describe('kilohash espruino', () => {
  it('check: the bridge, the core and the frame rate', async () => {
    const b = await board();
    const r = await kilohashAsync(['espruino', 'check', '--port', b.port, '--frames', '50'], 60_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^bridge 1\.0\.0 on FAKE .*console USB\), SPI \{"bus":"SPI1"/m);
    expect(r.stdout).toMatch(/^core: protocol 2\.0, 1 engine\(s\)/m);
    expect(r.stdout).toMatch(/^\d+ frames\/s through the bridge \(50 STATUS reads, 0 sent again\)/m);
    expect(b.bridged, 'check gives the console back').toBe(false);
  }, 60_000);

  it('upload: usage errors exit 2 naming the flag; a refused port exits 1 at once', async () => {
    const noCs = await kilohashAsync(['espruino', 'upload', '--port', '/dev/kh-no-such-port']);
    expect(noCs.code).toBe(2);
    expect(noCs.stderr).toMatch(/needs a chip-select pin: give --board or --cs/);
    const badPin = await kilohashAsync(['espruino', 'upload', '--port', '/dev/kh-no-such-port', '--cs', 'B 6']);
    expect(badPin.code).toBe(2);
    expect(badPin.stderr).toMatch(/--cs <pin>.*'B 6' is not a pin name/);
    const badBoard = await kilohashAsync(['espruino', 'upload', '--port', '/dev/kh-no-such-port', '--board', 'uno']);
    expect(badBoard.code).toBe(2);
    expect(badBoard.stderr).toMatch(/expected one of pico, esp32/);
    const gone = await kilohashAsync(['espruino', 'upload', '--port', '/dev/kh-no-such-port', '--board', 'pico'], 30_000);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/cannot open \/dev\/kh-no-such-port: no such port/);
    const refused = await server(() => undefined);
    const port = Number(refused.split(':').at(-1));
    await cleanup.pop()!();
    const r = await kilohashAsync(['espruino', 'upload', '--port', `tcp://127.0.0.1:${port}`, '--board', 'pico'], 30_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot open tcp:\/\/127\.0\.0\.1:\d+: connection refused/);
  }, 120_000);
});
