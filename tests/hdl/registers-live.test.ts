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
import { CosimLink } from '../../host/rtl/cosim/bridge.ts';
import { type Simulator } from '../../host/rtl/simulators.ts';
import { type Reading, registerStimulus } from '../helpers/register-stimulus.ts';
import { simulatorsHere } from '../helpers/simulators.ts';

const sims = simulatorsHere(['verilator', 'icarus'] as const);

describe.skipIf(sims.length === 0)('registers are read live, not when the read address last changed', () => {
  const results = new Map<Simulator, Reading[]>();

  it.each(sims)('%s: CYCLES captured at the same point of its frame whatever the word position', async (sim) => {
    const r = await registerStimulus(CosimLink.start({ simulator: sim, engines: 1, clockHz: 36_000_000, freeRun: false }));
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
