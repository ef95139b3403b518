/**
 * One conformance suite, six cores: the behavioural model; the RTL under Verilator and under
 * Icarus; the pipelined RTL for large parts under Verilator; the UART core's RTL under
 * Verilator behind a real pseudo-terminal opened with the real serialport package (the virtual
 * board: an iCEBreaker without the board); and the model behind the Espruino SPI bridge running
 * on Espruino's real Linux interpreter (host driver → Espruino → model; needs ESPRUINO). Every
 * core must give the same answers through the same driver; where a question has an exact
 * answer (which nonces meet a threshold, what a refused frame returns) the cores are compared
 * with each other and with the reference hasher.
 *
 * KILOHASH_CONFORMANCE_NONCES raises the random-work scan (default 10^4 on the RTL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreDriver } from '../../src/core/driver.ts';
import { SELF_TEST } from '../../src/core/self-test.ts';
import { buildRead, buildWrite, parseRead } from '../../src/core/frames.ts';
import type { CoreLink } from '../../src/core/link.ts';
import { CoreModel } from '../../src/core/model/core-model.ts';
import { CONTROL_RESET, ERR, PROTOCOL_VERSION, REG, WORK_WORDS, decodeStatus, emptyStatus, encodeWork, frameBytes } from '../../src/core/protocol.ts';
import { CosimLink } from '../../host/rtl/cosim/bridge.ts';
import { rtlCyclesPerNonce } from '../../host/rtl/simulators.ts';
import { openCore, type CoreKind, type OpenedCore } from '../../host/core/open-core.ts';
import { uploadBridge } from '../../host/espruino/upload.ts';
import { EspruinoLinux, espruinoMissing } from '../helpers/espruino-linux.ts';
import { startVirtualBoard } from '../../host/serial/virtual-board.ts';
import { ptyMissing } from '../../host/serial/pty.ts';
import { scanRange } from '../../host/core/scan.ts';
import { keepAliveClock } from '../../host/platform/node.ts';
import { hexToBytes } from '../../src/work/bytes.ts';
import { headerWork } from '../../src/work/header-work.ts';
import { randomHeader, referenceNonces } from '../helpers/reference-nonces.ts';
import blocks from '../fixtures/blocks.json' with { type: 'json' };
import { hasSimulator } from '../helpers/simulators.ts';
import { describePipeline, type Pipeline } from '../../host/rtl/pipeline.ts';

const extra = Number(process.env.KILOHASH_CONFORMANCE_NONCES ?? 0);

interface Profile {
  kind: CoreKind | 'espruino' | 'serial';
  engines: number;
  /** RTL: the pipelined engine (kh_pipe_engine). */
  pipeline?: Pipeline;
  /** Window scanned around each real block's nonce. */
  window: number;
  /** Random-work scan: nonces and threshold (hits ≈ nonces / 2^threshold, well inside the FIFO per poll). */
  nonces: number;
  threshold: number;
}

const PROFILES: Profile[] = [
  { kind: 'model', engines: 1, window: 4096, nonces: Math.max(extra, 1_000_000), threshold: 14 },
  { kind: 'verilator', engines: 2, window: 1024, nonces: Math.max(extra, 10_000), threshold: 8 },
  { kind: 'icarus', engines: 2, window: 48, nonces: Math.max(extra / 100, 400), threshold: 5 },
  // The pipelined engine as the ECP5-85F gets it: a nonce every clock, two rounds a stage.
  // A stalled poll on a loaded machine cannot overflow the FIFO: the simulation waits for the
  // driver once READY rises (tests/hdl/cosim-waits.test.ts). Before it did, one run at 10 bits
  // lost a result, most likely that way.
  { kind: 'verilator', engines: 1, pipeline: { loop: 1, rounds: 2 }, window: 4096, nonces: Math.max(extra, 200_000), threshold: 12 },
  // Every frame crosses the pty and the simulated 3 Mbaud line both ways.
  { kind: 'serial', engines: 2, window: 1024, nonces: Math.max(extra, 10_000), threshold: 8 },
  // Every frame crosses the interpreter (a few hundred frames a second): smaller scans.
  { kind: 'espruino', engines: 1, window: 2048, nonces: Math.max(extra / 50, 20_000), threshold: 10 },
];

/** Why a profile cannot run on this machine, or undefined. */
function missing(kind: Profile['kind']): string | undefined {
  if (kind === 'model') return undefined;
  if (kind === 'espruino') return espruinoMissing();
  if (kind === 'serial') return ptyMissing() ?? (hasSimulator('verilator') ? undefined : 'verilator is not installed');
  return hasSimulator(kind) ? undefined : `${kind} is not installed`;
}

/** The model behind the uploaded bridge on a fresh Espruino Linux interpreter. */
async function openThroughEspruino(): Promise<OpenedCore> {
  const board = await EspruinoLinux.start();
  try {
    await uploadBridge(board.port, {});
    await board.installSpiShim();
    const core = openCore({ kind: 'espruino', port: board.port });
    return { ...core, close: async () => { await core.close(); await board.stop(); } };
  } catch (err) {
    await board.stop();
    throw err;
  }
}

/** The UART core's RTL on a pseudo-terminal, reached through the real serialport package. */
async function openThroughSerial(engines: number): Promise<OpenedCore> {
  const board = await startVirtualBoard({ core: 'verilator', engines, clockHz: 36_000_000 });
  const core = openCore({ kind: 'serial', port: board.path });
  return { ...core, close: async () => { await core.close(); await board.close(); } };
}

async function xfer(link: CoreLink, frame: Uint8Array): Promise<Uint8Array> {
  await link.transfer(frame);
  return frame;
}

async function readStatus(link: CoreLink): Promise<number> {
  const f = await xfer(link, buildRead(new Uint8Array(frameBytes(1)), REG.STATUS, 1));
  const w = new Uint32Array(1);
  expect(parseRead(f, 1, w)).toBe(true);
  return w[0]!;
}

/** Frames every core must answer byte for byte the same, each followed by a STATUS read. */
function badFrames(): Array<{ name: string; frame: Uint8Array; error: number }> {
  const work = new Uint32Array(15);
  const badD = buildWrite(new Uint8Array(frameBytes(15)), REG.WORK, work);
  badD[badD.length - 1]! ^= 0x01;
  const badH = buildRead(new Uint8Array(frameBytes(2)), REG.MAGIC, 2);
  badH[3]! ^= 0x80;
  const cmd = buildRead(new Uint8Array(frameBytes(1)), REG.MAGIC, 1);
  cmd[0] = 0x41;
  cmd[3] = 0; // recomputed below
  const writeRo = buildWrite(new Uint8Array(frameBytes(1)), REG.MAGIC, [1]);
  const truncated = buildWrite(new Uint8Array(frameBytes(15)), REG.WORK, work).subarray(0, frameBytes(15) - 1);
  const long = new Uint8Array(frameBytes(1) + 3);
  long.set(buildRead(new Uint8Array(frameBytes(1)), REG.STATUS, 1));
  const intoUnused = buildRead(new Uint8Array(frameBytes(7)), REG.STATUS, 7); // 0x05..0x0b
  const badCount = buildRead(new Uint8Array(frameBytes(1)), REG.STATUS, 1);
  badCount[2] = 40;
  const fix = (f: Uint8Array) => { let c = 0; for (let i = 0; i < 3; i++) { c ^= f[i]!; for (let b = 0; b < 8; b++) c = c & 0x80 ? ((c << 1) ^ 7) & 0xff : (c << 1) & 0xff; } f[3] = c; return f; };
  return [
    { name: 'WORK write with a flipped data CRC', frame: badD, error: ERR.CRC },
    { name: 'read with a flipped header CRC', frame: badH, error: ERR.CRC },
    { name: 'unknown command', frame: fix(cmd), error: ERR.CMD },
    { name: 'write to a read-only register', frame: writeRo, error: ERR.ADDR },
    { name: 'COUNT over 16', frame: fix(badCount), error: ERR.ADDR },
    { name: 'multi-word read running into an unused address', frame: intoUnused, error: ERR.ADDR },
    { name: 'WORK write cut before its CRC', frame: new Uint8Array(truncated), error: ERR.FRAME },
    { name: 'read running past its length', frame: long, error: ERR.FRAME },
  ];
}

/** The model's answers to badFrames(): what every core must reproduce. */
function modelAnswers(): Array<{ reply: number[]; status: number }> {
  const model = new CoreModel();
  return badFrames().map(({ frame }) => {
    model.transfer(frame);
    const s = buildRead(new Uint8Array(frameBytes(1)), REG.STATUS, 1);
    model.transfer(s);
    const w = new Uint32Array(1);
    parseRead(s, 1, w);
    const clear = buildWrite(new Uint8Array(frameBytes(1)), REG.CONTROL, [CONTROL_RESET]);
    model.transfer(clear);
    return { reply: [...frame], status: w[0]! };
  });
}

for (const p of PROFILES) {
  const why = missing(p.kind);
  const name = p.pipeline ? `${p.kind}, pipelined (${describePipeline(p.pipeline)})` : p.kind;
  describe.skipIf(why !== undefined)(`core conformance: ${name}${why ? ` (skipped: ${why})` : ''}`, () => {
    let core: OpenedCore;
    let driver: CoreDriver;

    beforeAll(async () => {
      core = p.kind === 'espruino' ? await openThroughEspruino()
        : p.kind === 'serial' ? await openThroughSerial(p.engines)
        : openCore({ kind: p.kind, engines: p.engines, ...(p.pipeline ? { pipeline: p.pipeline } : {}) });
      driver = new CoreDriver({ link: core.link, clock: keepAliveClock, hangTimeoutMs: 60_000 });
    }, 300_000);
    afterAll(async () => core?.close());

    it('reports the identity the spec requires', async () => {
      const id = await driver.probe();
      expect(id.version).toBe(PROTOCOL_VERSION);
      expect(id.queueDepth).toBe(2);
      expect(id.fifoDepth).toBe(16);
      expect(id.engines).toBe(p.engines);
      if (p.kind === 'model' || p.kind === 'espruino') expect(id.cyclesPerNonce).toBe(1);
      else {
        const cycles = p.pipeline?.loop ?? rtlCyclesPerNonce();
        expect(id.cyclesPerNonce).toBe(cycles);
        expect(id.clockHz).toBe(36_000_000);
        expect(id.nominalHashRate).toBe((36_000_000 * p.engines) / cycles);
      }
    });

    it('passes the known-answer self-test', async () => {
      const r = await driver.selfTest(120_000);
      expect(r).toMatchObject({ ok: true, found: [SELF_TEST.nonce] });
    }, 120_000);

    it('finds the real nonce of every fixture block', async () => {
      for (const b of blocks.blocks) {
        const first = Math.max(0, b.nonce - p.window / 2);
        const s = await scanRange({
          link: core.link, clock: keepAliveClock, header: hexToBytes(b.header), start: first, count: p.window,
          workSize: Math.max(16, p.window / 4), pollMs: 5,
        });
        expect(s.nonces.map((f) => f.nonce), b.name).toEqual(referenceNonces(hexToBytes(b.header), first, p.window, 32));
        expect(s.nonces.map((f) => f.nonce), b.name).toContain(b.nonce);
        expect(s.nonces[0]!.hash, b.name).toBe(b.hash);
        expect(s.scanned, b.name).toBe(p.window);
        expect(s.hwErrors).toBe(0);
      }
    }, 240_000);

    it(`reports exactly the reference's nonces on random work (${p.nonces} nonces, ${p.threshold} bits)`, async () => {
      const header = randomHeader(0x5eed + p.threshold);
      const first = 0xfffff000 - p.nonces; // near the top of the nonce space
      const s = await scanRange({
        link: core.link, clock: keepAliveClock, header, start: first, count: p.nonces, thresholdBits: p.threshold,
        workSize: Math.ceil(p.nonces / 5), pollMs: 5,
      });
      const want = referenceNonces(header, first, p.nonces, p.threshold);
      expect(want.length).toBeGreaterThan(10);
      expect(s.fifoOverflows, 'the result FIFO overflowed: results were lost between polls').toBe(0);
      expect(s.nonces.map((f) => f.nonce)).toEqual(want);
      expect(s.scanned).toBe(p.nonces);
      expect(s.hwErrors).toBe(0);
    }, 240_000);

    it('refuses corrupted and malformed frames exactly as the model does', async () => {
      const link = core.link;
      await xfer(link, buildWrite(new Uint8Array(frameBytes(1)), REG.CONTROL, [CONTROL_RESET]));
      const want = modelAnswers();
      const cases = badFrames();
      for (let i = 0; i < cases.length; i++) {
        const c = cases[i]!;
        const reply = [...(await xfer(link, c.frame))];
        const status = await readStatus(link);
        expect(reply, c.name).toEqual(want[i]!.reply);
        expect(status, c.name).toBe(want[i]!.status);
        const s = decodeStatus(status, emptyStatus());
        expect(s.errors, c.name).toBe(c.error);
        expect(s.queued, c.name).toBe(0);
        await xfer(link, buildWrite(new Uint8Array(frameBytes(1)), REG.CONTROL, [CONTROL_RESET]));
      }
    }, 120_000);

    it('clamps thresholds as the doc says: 0 counts as 1, 33–63 as 32, bits above 5 ignored', async () => {
      const header = hexToBytes(SELF_TEST.header);
      const cases = [
        { word: 0, bits: 1, first: SELF_TEST.first, count: 16 },
        { word: 40, bits: 32, first: SELF_TEST.first, count: 256 },
        { word: 0x40 | 5, bits: 5, first: SELF_TEST.first, count: 256 },
      ];
      for (const c of cases) {
        await driver.reset();
        const hw = headerWork(header);
        const work = encodeWork(new Uint32Array(WORK_WORDS), hw.midstate, hw.tail, c.first, c.first + c.count - 1, 0x77, c.word);
        await xfer(core.link, buildWrite(new Uint8Array(frameBytes(WORK_WORDS)), REG.WORK, work));
        const found: number[] = [];
        const deadline = Date.now() + 120_000;
        for (;;) {
          const s = decodeStatus(await readStatus(core.link), emptyStatus());
          expect(s.errors, `threshold word ${c.word}`).toBe(0);
          for (let i = 0; i < s.results; i++) {
            const f = await xfer(core.link, buildRead(new Uint8Array(frameBytes(2)), REG.RESULT, 2));
            const w = new Uint32Array(2);
            expect(parseRead(f, 2, w)).toBe(true);
            if (w[0]! & 0x80000000) found.push(w[1]!);
          }
          if (!s.busy && s.queued === 0 && s.results === 0) break;
          expect(Date.now(), `threshold word ${c.word}: the work did not finish`).toBeLessThan(deadline);
          await new Promise((r) => setTimeout(r, 5));
        }
        expect(found.sort((a, b) => a - b), `threshold word ${c.word}`).toEqual(referenceNonces(header, c.first, c.count, c.bits));
      }
    }, 240_000);

    it('recovers from a reset in the middle of a work', async () => {
      await driver.reset();
      await driver.push({ header: hexToBytes(SELF_TEST.header), first: 0, last: 0xffffffff });
      await driver.push({ header: hexToBytes(SELF_TEST.header), first: 0, last: 0xffffffff });
      await driver.poll();
      expect(driver.status.busy || driver.status.queued > 0).toBe(true);
      await driver.reset();
      await driver.poll();
      expect(driver.status).toMatchObject({ busy: false, queued: 0, results: 0, errors: 0 });
      expect(driver.inFlight).toBe(0);
      expect((await driver.selfTest(120_000)).ok).toBe(true);
    }, 120_000);
  });
}

describe.skipIf(!hasSimulator('verilator'))('queue refill without gaps (RTL, counted in cycles)', () => {
  it('three queued works run back to back: the core never waits between them', async () => {
    const link = CosimLink.start({ simulator: 'verilator', engines: 2, clockHz: 36_000_000, freeRun: false });
    try {
      const d = new CoreDriver({ link, clock: keepAliveClock });
      await d.probe();
      await d.reset();
      const header = hexToBytes(SELF_TEST.header);
      const n = 512;
      // Work 1 starts at once; 2 and 3 wait in the queue.
      for (let i = 0; i < 3; i++) expect(await d.push({ header, first: i * n, last: i * n + n - 1 })).toBe(true);
      await d.poll();
      const before = d.stats.hashes;
      const start = link.cycles;
      // Hashing 3·n nonces on 2 engines takes 3·n·C/2 cycles; allow 64 cycles per work switch.
      const budget = (3 * n * rtlCyclesPerNonce()) / 2 + 3 * 64;
      await link.runCycles(budget - (link.cycles - start));
      await d.poll();
      expect(d.stats.hashes).toBe(3 * n);
      expect(before).toBeLessThan(3 * n);
      expect(d.status.busy).toBe(false);
    } finally {
      await link.close();
    }
  }, 120_000);
});
