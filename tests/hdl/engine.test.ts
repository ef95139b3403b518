import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { buildSimulation, CORE_RTL, UART_CORE_RTL, ENGINE_RTL, HDL_DIR, rtlCyclesPerNonce, runTestbench, UP5K_DSP_SIM, type SimulationBuild, type Simulator } from '../../host/rtl/simulators.ts';
import { hexToBytes, readU32LE, u32ToHex } from '../../src/work/bytes.ts';
import { headerWork, wordsToHex } from '../../src/work/header-work.ts';
import blocks from '../fixtures/blocks.json' with { type: 'json' };
import { simulatorsHere } from '../helpers/simulators.ts';
import { referenceNonces } from '../helpers/reference-nonces.ts';

const SOURCES = ['tb/tb_engine.v', ...ENGINE_RTL];

function workFor(headerHex: string) {
  const header = hexToBytes(headerHex);
  const work = headerWork(header);
  return {
    header,
    midstate: wordsToHex(work.midstate),
    tail: wordsToHex(work.tail),
    nonce: readU32LE(header, 76),
  };
}

/** Clock cycles the engine is busy for a range: a nonce word per lane, one pass per lanes, one to test the last. */
function busyCycles(nonces: number, lanes: number): number {
  return lanes + Math.ceil(nonces / lanes) * rtlCyclesPerNonce() + 1;
}

function scan(sim: Simulator, lanes: number, w: ReturnType<typeof workFor>, first: number, last: number, threshold: number, build: Pick<SimulationBuild, 'defines' | 'libraries'> = {}) {
  const cmd = buildSimulation({ sim, top: 'tb_engine', sources: SOURCES, parameters: { LANES: lanes }, ...build });
  const out = runTestbench(cmd, { midstate: w.midstate, tail: w.tail, first: u32ToHex(first), last: u32ToHex(last), threshold });
  const found = [...out.matchAll(/^FOUND ([0-9a-f]{8})$/gm)].map((m) => Number.parseInt(m[1]!, 16));
  const done = /^DONE hashed=(\d+) cycles=(\d+)$/m.exec(out);
  if (!done) throw new Error(`testbench did not finish:\n${out}`);
  return { found, hashed: Number(done[1]), cycles: Number(done[2]) };
}

const sims = simulatorsHere(['icarus', 'verilator'] as const);

describe.each(sims)('kh_engine under %s', (sim) => {
  // Builds take minutes on a loaded machine: they happen here, so no test's time includes one.
  beforeAll(() => {
    for (const lanes of [1, 3, 4]) buildSimulation({ sim, top: 'tb_engine', sources: SOURCES, parameters: { LANES: lanes } });
  }, 900_000);

  it.each(blocks.blocks.map((b) => [b.name, b] as const))('finds the real nonce of %s on 1 and 3 lanes', (_name, b) => {
    const w = workFor(b.header);
    const first = Math.max(0, w.nonce - 100);
    for (const lanes of [1, 3]) {
      const r = scan(sim, lanes, w, first, first + 199, 32);
      expect(r.found).toEqual([w.nonce]);
      expect(r.hashed).toBe(200);
      expect(r.cycles).toBe(busyCycles(200, lanes));
    }
  });

  it('reports exactly the nonces whose hash meets a low threshold (checked in software)', () => {
    const w = workFor(blocks.blocks[3]!.header);
    const threshold = 6;
    const expected = referenceNonces(w.header, 1000, 300, threshold);
    expect(expected.length).toBeGreaterThan(0);
    expect(scan(sim, 4, w, 1000, 1299, threshold).found).toEqual(expected);
  });

  it('covers a range that does not divide among the lanes, up to the top of the nonce space', () => {
    const w = workFor(blocks.blocks[1]!.header);
    // 7 nonces on 3 lanes: the last pass has one lane in range; nonce + 1 would wrap.
    const top = scan(sim, 3, w, 0xfffffff9, 0xffffffff, 1);
    expect(top.hashed).toBe(7);
    expect(top.found).toEqual(referenceNonces(w.header, 0xfffffff9, 7, 1));
    // One nonce, three lanes: only lane 0 counts, and it is the block's nonce.
    const one = scan(sim, 3, w, w.nonce, w.nonce, 32);
    expect(one).toMatchObject({ found: [w.nonce], hashed: 1 });
    // A range whose end lies before its start is no work at all.
    expect(scan(sim, 3, w, w.nonce, w.nonce - 1, 32)).toMatchObject({ found: [], hashed: 0 });
  });
});

/** A pipelined build: a nonce enters every `loop` clocks; each stage applies `rounds` rounds a clock. */
interface PipeBuild { loop: number; rounds: number }
const pipeParameters = (p: PipeBuild) => ({ LANES: 1, LOOP: p.loop, ROUNDS: p.rounds });

/** Stop the engine `at` clocks after the start, then run first..last to the end. */
interface StopThenRun { at: number; first: number; last: number }

function scanPipe(sim: Simulator, p: PipeBuild, w: ReturnType<typeof workFor>, first: number, last: number, threshold: number, stop?: StopThenRun) {
  const cmd = buildSimulation({ sim, top: 'tb_engine', sources: SOURCES, parameters: pipeParameters(p) });
  const args: Record<string, string | number> = stop ? { stop_at: stop.at, first2: u32ToHex(stop.first), last2: u32ToHex(stop.last) } : {};
  const out = runTestbench(cmd, { midstate: w.midstate, tail: w.tail, first: u32ToHex(first), last: u32ToHex(last), threshold, ...args });
  const foundIn = (text: string) => [...text.matchAll(/^FOUND ([0-9a-f]{8})$/gm)].map((m) => Number.parseInt(m[1]!, 16));
  const done = /^DONE hashed=(\d+) cycles=(\d+)$/m.exec(out);
  if (!done) throw new Error(`testbench did not finish:\n${out}`);
  const stopped = /^STOPPED hashed=(\d+)$/m.exec(out);
  if (stop && !stopped) throw new Error(`testbench did not stop:\n${out}`);
  const split = stopped ? stopped.index : out.length;
  return {
    found: foundIn(out), hashed: Number(done[1]), cycles: Number(done[2]),
    // With a stop: what the stopped work reported, and what the next one did.
    beforeStop: { found: foundIn(out.slice(0, split)), hashed: stopped ? Number(stopped[1]) : Number(done[1]) },
    afterStop: { found: foundIn(out.slice(split)), hashed: stopped ? Number(done[1]) - Number(stopped[1]) : 0 },
  };
}

/**
 * Busy clocks for a range at one nonce per clock: one in each clock, then the last one's way
 * through hash 1's stages and hash 2's up to the one that applies round 60 (a stage a clock
 * at LOOP = 1), and six clocks more for the report and what stands between the core and the
 * pipelines' ends: the start's register, the feed-forward, the share test, and the verdict's
 * register on its way back. With LOOP > 1 a nonce
 * enters on the pipeline's next step, so a start waits up to LOOP - 1 clocks, and hash 2
 * takes hash 1's output on its next step too.
 */
function pipeBusyCycles(nonces: number, { loop, rounds }: PipeBuild): { min: number; max: number } {
  const perStage = loop * rounds;
  const through = (64 / perStage + Math.ceil(61 / perStage)) * loop;
  return loop === 1 ? { min: nonces + through + 6, max: nonces + through + 6 } : { min: nonces * loop + through, max: nonces * loop + through + 4 + 2 * loop };
}

describe.each(sims)('kh_pipe_engine (the pipelined core for large parts) under %s', (sim) => {
  // Icarus checks several stage-reuse factors and rounds per clock; Verilator the
  // one-nonce-per-clock, two-rounds-a-clock build the ECP5-85F gets.
  const builds: PipeBuild[] = sim === 'icarus'
    ? [{ loop: 1, rounds: 1 }, { loop: 4, rounds: 1 }, { loop: 64, rounds: 1 }, { loop: 2, rounds: 2 }, { loop: 4, rounds: 4 }]
    : [{ loop: 1, rounds: 2 }];
  beforeAll(() => {
    for (const p of builds) buildSimulation({ sim, top: 'tb_engine', sources: SOURCES, parameters: pipeParameters(p) });
  }, 900_000);
  // The tests below each simulate every build in turn: up to 135 s under Icarus on a busy
  // 2-core machine, past vitest's default limit of 120 s.

  it('finds the real nonce of every fixture block, counting every nonce once', () => {
    for (const p of builds) {
      for (const b of blocks.blocks) {
        const w = workFor(b.header);
        const first = Math.max(0, w.nonce - 50);
        const r = scanPipe(sim, p, w, first, first + 99, 32);
        expect(r.found, `${b.name}, ${JSON.stringify(p)}`).toEqual([w.nonce]);
        expect(r.hashed).toBe(100);
        const { min, max } = pipeBusyCycles(100, p);
        expect(r.cycles).toBeGreaterThanOrEqual(min);
        expect(r.cycles).toBeLessThanOrEqual(max);
      }
    }
  }, 900_000);

  it('reports exactly the nonces whose hash meets a low threshold, up to the top of the nonce space', () => {
    const w = workFor(blocks.blocks[2]!.header);
    for (const p of builds) {
      const expected = referenceNonces(w.header, 0xffffff00, 256, 5);
      expect(expected.length).toBeGreaterThan(0);
      expect(scanPipe(sim, p, w, 0xffffff00, 0xffffffff, 5)).toMatchObject({ found: expected, hashed: 256 });
      expect(scanPipe(sim, p, w, w.nonce, w.nonce, 32)).toMatchObject({ found: [w.nonce], hashed: 1 });
      expect(scanPipe(sim, p, w, w.nonce, w.nonce - 1, 32)).toMatchObject({ found: [], hashed: 0 });
    }
  }, 900_000);

  it('drops the nonces in flight at a stop: the stopped work reports a prefix of its range, the next one all of its own', () => {
    const w = workFor(blocks.blocks[2]!.header);
    const threshold = 5;
    for (const p of builds) {
      // Stopped with a pipeline full of nonces, about 20 of them already tested.
      const through = 128 / p.rounds;
      const r = scanPipe(sim, p, w, 0x1000, 0x1000 + 999, threshold, { at: through + 20 * p.loop, first: 0x9000, last: 0x9000 + 199 });
      const label = JSON.stringify(p);
      expect(r.beforeStop.hashed, label).toBeGreaterThan(0);
      expect(r.beforeStop.hashed, label).toBeLessThan(1000);
      // Nonces leave in order, so what was counted is the range's first n, and exactly those are reported.
      expect(r.beforeStop.found, label).toEqual(referenceNonces(w.header, 0x1000, r.beforeStop.hashed, threshold));
      expect(r.afterStop, label).toEqual({ found: referenceNonces(w.header, 0x9000, 200, threshold), hashed: 200 });
    }
  }, 900_000);
});

describe.skipIf(!sims.includes('icarus'))('kh_engine as the UP5K builds it (adders on SB_MAC16, under icarus)', () => {
  beforeAll(() => {
    buildSimulation({ sim: 'icarus', top: 'tb_engine', sources: SOURCES, parameters: { LANES: 2 }, ...UP5K_DSP_SIM });
  }, 900_000);

  it('finds the real nonce and exactly the low-threshold nonces software finds', () => {
    const w = workFor(blocks.blocks[0]!.header);
    const first = Math.max(0, w.nonce - 40);
    expect(scan('icarus', 2, w, first, first + 79, 32, UP5K_DSP_SIM).found).toEqual([w.nonce]);
    const expected = referenceNonces(w.header, first, 80, 5);
    expect(expected.length).toBeGreaterThan(0);
    expect(scan('icarus', 2, w, first, first + 79, 5, UP5K_DSP_SIM).found).toEqual(expected);
  });
});

describe.skipIf(!sims.includes('verilator'))('RTL lint', () => {
  it('verilator --lint-only -Wall is clean for the engine', () => {
    const r = spawnSync('verilator', ['--lint-only', '-Wall', '--top-module', 'kh_engine', ...ENGINE_RTL], { cwd: HDL_DIR, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it.each([[1, 1], [2, 1], [1, 2], [2, 4]])('verilator --lint-only -Wall is clean for kh_top with the pipelined engine, LOOP %i, ROUNDS %i', (loop, rounds) => {
    const r = spawnSync('verilator', ['--lint-only', '-Wall', '--top-module', 'kh_top', `-GLOOP=${loop}`, `-GROUNDS=${rounds}`, ...CORE_RTL, 'kh_top.v'], { cwd: HDL_DIR, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it.each([[1, 2], [4, 1]])('verilator --lint-only -Wall is clean for the stage bench (kilohash synth --stage-bench), LOOP %i, ROUNDS %i', (loop, rounds) => {
    const r = spawnSync('verilator', ['--lint-only', '-Wall', '-I.', '--top-module', 'kh_stage_bench', `-GLOOP=${loop}`, `-GROUNDS=${rounds}`, ...ENGINE_RTL, 'bench/kh_stage_bench.v'], { cwd: HDL_DIR, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it.each([1, 3])('verilator --lint-only -Wall is clean for the whole kh_top with %i lane(s)', (lanes) => {
    const r = spawnSync('verilator', ['--lint-only', '-Wall', '--top-module', 'kh_top', `-GENGINES=${lanes}`, ...CORE_RTL, 'kh_top.v'], { cwd: HDL_DIR, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  // The iCEBreaker's build (24 MHz, 3 Mbaud: 8 cycles a bit) and a slow console rate (17 bits of count).
  it.each([[3, 24_000_000, 3_000_000], [1, 36_000_000, 115_200]])('verilator --lint-only -Wall is clean for kh_top_uart: %i lane(s), %i Hz, %i baud', (lanes, clock, baud) => {
    const r = spawnSync('verilator', ['--lint-only', '-Wall', '--top-module', 'kh_top_uart', `-GENGINES=${lanes}`, `-GCLOCK_HZ=${clock}`, `-GBAUD=${baud}`, ...UART_CORE_RTL, 'kh_top_uart.v'], { cwd: HDL_DIR, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
