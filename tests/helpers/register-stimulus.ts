/**
 * A fixed sequence of frames and idle cycles, and what the registers read under it: the same
 * for the RTL under every simulator and for the synthesised netlist, when each reads its
 * registers live (tests/hdl/registers-live.test.ts, tests/hdl/netlist.test.ts).
 */
import { expect } from 'vitest';
import type { CosimLink } from '../../host/rtl/cosim/bridge.ts';
import { buildRead, buildWrite, parseRead } from '../../src/core/frames.ts';
import { REG, frameBytes } from '../../src/core/protocol.ts';

const BYTE_CLOCKS = 64; // SCK = clk/8

export interface Reading {
  /** CYCLES_LO minus the cycle count when the frame began, less 256 clocks per word before it. */
  offset: number;
  value: number;
  status: number;
}

/** Reads `count` registers from `addr` in one frame, and the cycles the frame took. */
export async function readRegisters(link: CosimLink, addr: number, count: number): Promise<{ words: Uint32Array; start: number; end: number }> {
  const f = buildRead(new Uint8Array(frameBytes(count)), addr, count);
  const start = link.cycles;
  await link.transfer(f);
  const words = new Uint32Array(count);
  expect(parseRead(f, count, words)).toBe(true);
  return { words, start, end: link.cycles };
}

/**
 * The same stimulus for every simulation (started with `freeRun: false`): CYCLES read as the
 * first word and as the fourth, and STATUS after a work is queued. Closes the link.
 */
export async function registerStimulus(link: CosimLink): Promise<Reading[]> {
  try {
    const out: Reading[] = [];
    await link.runCycles(1000);
    await readRegisters(link, REG.STATUS, 6); // leaves the multiplexer's address past WORK_ID
    for (const gap of [1000, 333, 5000]) {
      await link.runCycles(gap);
      const a = await readRegisters(link, REG.CYCLES_LO, 2); // CYCLES_LO is word 0
      expect(a.words[0]).toBeGreaterThanOrEqual(a.start);
      expect(a.words[0]).toBeLessThanOrEqual(a.end);
      out.push({ offset: a.words[0]! - a.start, value: a.words[0]!, status: 0 });
      await link.runCycles(gap);
      const b = await readRegisters(link, REG.STATUS, 6); // CYCLES_LO is word 3
      out.push({ offset: b.words[3]! - b.start - 3 * 4 * BYTE_CLOCKS, value: b.words[3]!, status: b.words[0]! });
    }
    // STATUS right after a work is queued: BUSY as the core has it when the word is captured.
    const work = new Uint32Array(15);
    work[12] = 0xffff; // nonces 0..65535: busy for the rest of the test
    work[14] = 32;
    await link.transfer(buildWrite(new Uint8Array(frameBytes(15)), REG.WORK, work));
    const s = await readRegisters(link, REG.STATUS, 1);
    out.push({ offset: 0, value: 0, status: s.words[0]! });
    return out;
  } finally {
    await link.close();
  }
}
