/**
 * The virtual board on a real pseudo-terminal, opened with the real serialport package: the
 * model behind the UART framing and the RTL under Verilator must put the same bytes on the
 * line for the same bytes in, noise included; and `kilohash serial virtual-board` serves a
 * core that `kilohash scan --core serial:<path>` finds a real block's nonce on.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRead, buildWrite } from '../../src/core/frames.ts';
import { CONTROL_RESET, frameBytes, REG, UART, WORK_WORDS } from '../../src/core/protocol.ts';
import { encodeUartFrame, UartFrameDecoder } from '../../src/core/uart-framing.ts';
import { startVirtualBoard, type VirtualBoard } from '../../host/serial/virtual-board.ts';
import { ptyMissing } from '../../host/serial/pty.ts';
import { hexToBytes } from '../../src/work/bytes.ts';
import blocks from '../fixtures/blocks.json' with { type: 'json' };
import { hasSimulator } from '../helpers/simulators.ts';
import { kilohashAsync } from '../helpers/cli.ts';

const why = ptyMissing() ?? (hasSimulator('verilator') ? undefined : 'verilator is not installed');
const BIN = fileURLToPath(new URL('../../bin/kilohash.js', import.meta.url));

/**
 * What a host sends: whole frames, and the noise a line can carry between and inside them; in
 * chunks, each answered before the next goes (the model starts a work when it next hashes, the
 * RTL a few cycles after the frame: a register read at once would see that difference).
 */
function streams(): Array<{ name: string; chunks: Uint8Array[] }> {
  const status = () => encodeUartFrame(buildRead(new Uint8Array(frameBytes(1)), REG.STATUS, 1));
  const work = new Uint32Array(WORK_WORDS).map((_, i) => (0xc0dbc0db ^ i) >>> 0);
  work[11] = 0; work[12] = 0xffffffff; work[13] = 0xc0db; work[14] = 32;
  const workFrame = encodeUartFrame(buildWrite(new Uint8Array(frameBytes(WORK_WORDS)), REG.WORK, work));
  const reset = encodeUartFrame(buildWrite(new Uint8Array(frameBytes(1)), REG.CONTROL, [CONTROL_RESET]));
  const cat = (...parts: Array<Uint8Array | number[]>) => Uint8Array.from(parts.flatMap((p) => [...p]));
  // MAGIC and VERSION: CAPS and CLOCK_HZ differ by design (the model is not a clocked core).
  const magic = encodeUartFrame(buildRead(new Uint8Array(frameBytes(2)), REG.MAGIC, 2));
  return [
    { name: 'identity', chunks: [magic] },
    { name: 'a WORK full of END and ESC bytes, then WORK_ID', chunks: [workFrame, cat(encodeUartFrame(buildRead(new Uint8Array(frameBytes(1)), REG.WORK_ID, 1)), reset, status())] },
    { name: 'a bad escape', chunks: [cat([UART.END, 0x52, UART.ESC, 0x07, 0x05, UART.END], status(), reset)] },
    { name: 'a WORK split by a stray END', chunks: [cat(workFrame.subarray(0, 30), [UART.END], workFrame.subarray(30), status(), reset)] },
    { name: 'noise before a frame, and empty frames', chunks: [cat([0x13, 0x37, UART.END, UART.END, UART.END], magic, status())] },
  ];
}

async function exchange(path: string, chunks: Uint8Array[]): Promise<number[]> {
  const port = new SerialPort({ path, baudRate: 3_000_000 });
  const got: number[] = [];
  port.on('data', (d: Buffer) => got.push(...d));
  await new Promise<void>((resolve, reject) => { port.once('open', resolve); port.once('error', reject); });
  // The board answers a byte for each byte a frame keeps: wait for that many (a stray extra
  // byte, which the short wait after may miss, could only hide a fault, never invent one).
  const decoder = new UartFrameDecoder();
  let expected = 0;
  for (const bytes of chunks) {
    decoder.push(bytes, (f) => { expected += f.bytes.length; });
    port.write(Buffer.from(bytes));
    const deadline = Date.now() + 60_000;
    while (got.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise<void>((resolve) => port.close(() => resolve()));
  return got;
}

describe.skipIf(why !== undefined)(`the virtual board${why ? ` (skipped: ${why})` : ''}`, () => {
  let model: VirtualBoard;
  let rtl: VirtualBoard;
  beforeAll(async () => {
    model = await startVirtualBoard({ core: 'model', engines: 2, clockHz: 36_000_000 });
    rtl = await startVirtualBoard({ core: 'verilator', engines: 2, clockHz: 36_000_000 });
  }, 600_000);
  afterAll(async () => {
    await model?.close();
    await rtl?.close();
  });

  it.each(streams().map((s) => [s.name, s.chunks] as const))('model and RTL answer %s with the same bytes', async (_name, chunks) => {
    const [a, b] = [await exchange(model.path, chunks), await exchange(rtl.path, chunks)];
    expect(b.length).toBeGreaterThan(0);
    expect(a.length).toBeGreaterThan(0);
    expect(Buffer.from(b).toString("hex")).toBe(Buffer.from(a).toString("hex"));
  }, 60_000);
});

describe.skipIf(why !== undefined)(`kilohash serial virtual-board${why ? ` (skipped: ${why})` : ''}`, () => {
  it('prints its path first, serves scan --core serial:<path>, and stops on Ctrl-C', async () => {
    // The same build as the differential test above: 2 lanes at 36 MHz.
    const child = spawn(process.execPath, [BIN, 'serial', 'virtual-board', '--engines', '2', '--clock-mhz', '36'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const path = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', () => reject(new Error(`virtual-board exited: ${stderr}`)));
      });
      expect(path).toMatch(/^\/dev\/pts\/\d+$/);
      const b = blocks.blocks[0]!;
      const r = await kilohashAsync(['scan', '--core', `serial:${path}`, '--header', b.header, '--start', String(b.nonce - 700), '--count', '1000', '--json'], 120_000);
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { nonce?: number; summary?: boolean; hwErrors?: number });
      expect(lines.filter((l) => l.nonce !== undefined).map((l) => l.nonce)).toContain(b.nonce);
      expect(lines.at(-1)).toMatchObject({ summary: true, hwErrors: 0 });
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 600_000);

  it('refuses a baud rate its clock cannot make', async () => {
    const r = await kilohashAsync(['serial', 'virtual-board', '--clock-mhz', '12', '--baud', '3000000']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/3000000 baud needs at least 8 clock cycles a bit/);
  });
});
