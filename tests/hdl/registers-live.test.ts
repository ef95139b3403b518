/**
 * Registers read live, in every simulator, as the hardware reads them. A register multiplexer
 * written as a function of its address alone was re-evaluated by Icarus only when the address
 * changed, so CYCLES came back up to a word (256 clocks) old and STATUS about a byte old, while
 * Verilator and the synthesised netlist read them live.
 *
 * Time passes only in frames and `runCycles` here, and both simulators drive the same pins on
 * the same cycles, so each read is exact: a word's value is captured as the byte before it
 * ends, 64 clocks per byte, whatever the word's position in the frame.
 */
import { describe, expect, it } from 'vitest';
import { CosimLink } from '../../host/cosim/bridge.ts';
import { simulatorAvailable, type Simulator } from '../../host/hdl/simulators.ts';
import { buildRead, buildWrite, parseRead } from '../../src/core/frames.ts';
import { REG, frameBytes } from '../../src/core/protocol.ts';

const BYTE_CLOCKS = 64; // SCK = clk/8

interface Reading {
  /** CYCLES_LO minus the cycle count when the frame began, less 256 clocks per word before it. */
  offset: number;
  value: number;
  status: number;
}

async function read(link: CosimLink, addr: number, count: number): Promise<{ words: Uint32Array; start: number; end: number }> {
  const f = buildRead(new Uint8Array(frameBytes(count)), addr, count);
  const start = link.cycles;
  await link.transfer(f);
  const words = new Uint32Array(count);
  expect(parseRead(f, count, words)).toBe(true);
  return { words, start, end: link.cycles };
}

/** The same stimulus for every simulator: CYCLES read as the first word and as the fourth. */
async function stimulus(sim: Simulator): Promise<Reading[]> {
  const link = CosimLink.start({ simulator: sim, engines: 1, clockHz: 36_000_000, freeRun: false });
  try {
    const out: Reading[] = [];
    await link.runCycles(1000);
    await read(link, REG.STATUS, 6); // leaves the multiplexer's address past WORK_ID
    for (const gap of [1000, 333, 5000]) {
      await link.runCycles(gap);
      const a = await read(link, REG.CYCLES_LO, 2); // CYCLES_LO is word 0
      expect(a.words[0]).toBeGreaterThanOrEqual(a.start);
      expect(a.words[0]).toBeLessThanOrEqual(a.end);
      out.push({ offset: a.words[0]! - a.start, value: a.words[0]!, status: 0 });
      await link.runCycles(gap);
      const b = await read(link, REG.STATUS, 6); // CYCLES_LO is word 3
      out.push({ offset: b.words[3]! - b.start - 3 * 4 * BYTE_CLOCKS, value: b.words[3]!, status: b.words[0]! });
    }
    // STATUS right after a work is queued: BUSY as the core has it when the word is captured.
    const work = new Uint32Array(15);
    work[12] = 0xffff; // nonces 0..65535: busy for the rest of the test
    work[14] = 32;
    await link.transfer(buildWrite(new Uint8Array(frameBytes(15)), REG.WORK, work));
    const s = await read(link, REG.STATUS, 1);
    out.push({ offset: 0, value: 0, status: s.words[0]! });
    return out;
  } finally {
    await link.close();
  }
}

const sims = (['verilator', 'icarus'] as const).filter((s) => simulatorAvailable(s));

describe.skipIf(sims.length === 0)('registers are read live, not when the read address last changed', () => {
  const results = new Map<Simulator, Reading[]>();

  it.each(sims)('%s: CYCLES captured at the same point of its frame whatever the word position', async (sim) => {
    const r = await stimulus(sim);
    results.set(sim, r);
    const offsets = r.slice(0, 6).map((x) => x.offset);
    expect(new Set(offsets).size, `offsets ${offsets.join(', ')}`).toBe(1);
    // The work was taken at once: busy, nothing queued, one accepted.
    expect(r[6]!.status & 1).toBe(1);
    expect(r[6]!.status >>> 24).toBe(1);
  }, 240_000);

  it.skipIf(sims.length < 2)('Icarus reads exactly what Verilator reads', () => {
    expect(results.get('icarus')).toEqual(results.get('verilator'));
  });
});
