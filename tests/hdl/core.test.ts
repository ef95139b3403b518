import { beforeAll, describe, expect, it } from 'vitest';
import { buildTestbench, CORE_RTL, rtlCyclesPerNonce, runTestbench, type Simulator } from '../../host/rtl/simulators.ts';
import { hexToBytes, readU32LE, u32ToHex } from '../../src/work/bytes.ts';
import { headerWork, wordsToHex } from '../../src/work/header-work.ts';
import blocks from '../fixtures/blocks.json' with { type: 'json' };
import { simulatorsHere } from '../helpers/simulators.ts';

/** The whole core behind its SPI frames: tb_core speaks docs/core-protocol.md byte for byte. */
const SOURCES = ['tb/tb_core.v', ...CORE_RTL];

function run(sim: Simulator, headerHex: string) {
  const header = hexToBytes(headerHex);
  const work = headerWork(header);
  const nonce = readU32LE(header, 76);
  const first = nonce - 300;
  const out = runTestbench(buildTestbench(sim, 'tb_core', SOURCES), {
    midstate: wordsToHex(work.midstate),
    tail: wordsToHex(work.tail),
    first: u32ToHex(first),
    last: u32ToHex(first + 1023),
    expect: u32ToHex(nonce),
    cycles: rtlCyclesPerNonce(),
  });
  return out;
}

const sims = simulatorsHere(['icarus', 'verilator'] as const);

describe.each(sims)('kh_core over SPI under %s', (sim) => {
  // The build takes minutes on a loaded machine: it happens here, not in a test's time.
  beforeAll(() => void buildTestbench(sim, 'tb_core', SOURCES), 900_000);
  // Icarus is slow at this length: one block there, every block under Verilator.
  const cases = sim === 'icarus' ? blocks.blocks.slice(1, 2) : blocks.blocks;
  it.each(cases.map((b) => [b.name, b] as const))('identity, errors, queue, results and counters with %s', (_name, b) => {
    const out = run(sim, b.header);
    const fails = out.split('\n').filter((l) => l.startsWith('FAIL'));
    expect(fails).toEqual([]);
    expect(out).toContain('ALL PASS');
  }, 180_000);
});
