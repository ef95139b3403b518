/**
 * The design as the FPGA gets it: the UP5K build after yosys `synth_ice40` (the script
 * `kilohash synth` runs, DSP adders included), written back to Verilog and simulated gate by
 * gate under Verilator on yosys' own iCE40 cell models, behind the same co-simulation harness
 * as the RTL. It must find real blocks' nonces and read its registers exactly as the RTL does.
 * About a minute of yosys and one of Verilator on a first run; both are cached in build/.
 */
import { describe, expect, it } from 'vitest';
import { CosimLink } from '../../host/rtl/cosim/bridge.ts';
import { scanRange } from '../../host/core/scan.ts';
import { simulatorAvailable } from '../../host/rtl/simulators.ts';
import { keepAliveClock } from '../../host/platform/node.ts';
import { ecp5ToolsInstalled } from '../../host/rtl/synth/ecp5-tools.ts';
import { synthesizedNetlist, type SynthesizedNetlist } from '../../host/rtl/synth/netlist.ts';
import { routedNetlist } from '../../host/rtl/synth/routed-netlist.ts';
import { DEVICE_DEFAULTS } from '../../host/rtl/synth/devices.ts';
import { CoreDriver } from '../../src/core/driver.ts';
import { SELF_TEST } from '../../src/core/self-test.ts';
import { PROTOCOL_VERSION } from '../../src/core/protocol.ts';
import { hexToBytes } from '../../src/work/bytes.ts';
import blocks from '../fixtures/blocks.json' with { type: 'json' };
import { registerStimulus } from '../helpers/register-stimulus.ts';
import { hasSimulator } from '../helpers/simulators.ts';

const CLOCK_HZ = 36_000_000;

/** Identity, the known-answer test, and every fixture block's nonce found by the netlist through the driver. */
async function answersAsACore(netlist: SynthesizedNetlist, identity: { engines: number; cyclesPerNonce?: number; clockHz?: number }): Promise<void> {
  const link = CosimLink.start({ simulator: 'verilator', netlist });
  try {
    const driver = new CoreDriver({ link, clock: keepAliveClock, hangTimeoutMs: 60_000 });
    expect(await driver.probe()).toMatchObject({ version: PROTOCOL_VERSION, clockHz: CLOCK_HZ, ...identity });
    expect(await driver.selfTest(120_000)).toMatchObject({ ok: true, found: [SELF_TEST.nonce] });
    for (const b of blocks.blocks) {
      const s = await scanRange({ link, clock: keepAliveClock, header: hexToBytes(b.header), start: b.nonce - 32, count: 64, workSize: 32, pollMs: 2 });
      expect(s.nonces.map((f) => f.nonce), b.name).toEqual([b.nonce]);
      expect(s.nonces[0]!.hash, b.name).toBe(b.hash);
      expect(s.scanned, b.name).toBe(64);
      expect(s.hwErrors, b.name).toBe(0);
    }
  } finally {
    await link.close();
  }
}

describe.skipIf(!hasSimulator('verilator'))('the synthesised UP5K netlist (yosys synth_ice40, cell models, Verilator)', () => {
  let netlist: SynthesizedNetlist;

  it('synthesises and answers as a kilohash core: identity, known answer, every fixture block', async () => {
    netlist = await synthesizedNetlist({ device: 'up5k', core: { kind: 'lanes', engines: 1 }, clockHz: CLOCK_HZ });
    await answersAsACore(netlist, { engines: 1 });
  }, 600_000);

  it('reads CYCLES and STATUS exactly as the RTL does under the same stimulus', async () => {
    expect(netlist, 'the netlist was built by the test above').toBeDefined();
    const gates = await registerStimulus(CosimLink.start({ simulator: 'verilator', netlist, freeRun: false }));
    const rtl = await registerStimulus(CosimLink.start({ simulator: 'verilator', engines: 1, clockHz: CLOCK_HZ, freeRun: false }));
    expect(gates).toEqual(rtl);
  }, 600_000);
});

// The ECP5 build: synth_ecp5 with the stages kept as modules and the sums as kept carry
// chains, the cell models mapped into the netlist. A small pipeline (a nonce every 32 clocks,
// one stage of two rounds a clock per hash) keeps the gate-level build to minutes; it has
// every kind of stage logic the 85F's has, and the hold multiplexers besides.
describe.skipIf(!hasSimulator('verilator'))('the synthesised ECP5 netlist (yosys synth_ecp5, pipelined core, cell models, Verilator)', () => {
  it('synthesises and answers as a kilohash core: identity, known answer, every fixture block', async () => {
    const netlist = await synthesizedNetlist({ device: 'ecp5-12f', core: { kind: 'pipeline', pipeline: { loop: 32, rounds: 2 } }, clockHz: CLOCK_HZ });
    expect(netlist.cells).toBe('inline');
    await answersAsACore(netlist, { engines: 1, cyclesPerNonce: 32 });
  }, 900_000);
});

// The same small pipeline after nextpnr-ecp5 has packed, placed and routed it (out of
// context), simulated on the packed cells' models: what the FPGA gets, short of the
// bitstream. Place and route needs nextpnr-ecp5 from PyPI, which CI does not install; this
// runs where a `kilohash synth --device ecp5-…` has installed it. About ten minutes of place
// and route and two of Verilator on a first run; both are cached in build/.
const noNextpnr = ecp5ToolsInstalled() ? undefined : 'nextpnr-ecp5 is not installed in .kilohash-cache/tools; any `kilohash synth --device ecp5-…` installs it';
describe.skipIf(!hasSimulator('verilator') || noNextpnr !== undefined)(`the placed and routed ECP5 netlist (nextpnr-ecp5, packed cells, Verilator)${noNextpnr ? ` (skipped: ${noNextpnr})` : ''}`, () => {
  it('places, routes and answers as a kilohash core: identity, known answer, every fixture block', async () => {
    const netlist = await routedNetlist({ device: 'ecp5-12f', core: { kind: 'pipeline', pipeline: { loop: 32, rounds: 2 } }, clockHz: CLOCK_HZ, seed: 1 });
    expect(netlist.cells).toBe('ecp5-packed');
    await answersAsACore(netlist, { engines: 1, cyclesPerNonce: 32 });
  }, 60 * 60_000);
});

// The 85F's own build: a nonce a clock, 32 stages a hash, laid out by the floorplan as
// `kilohash synth --device ecp5-85f` lays them out, asked for its 50 MHz, routed by router1.
// On a first run about two hours of place and route, half an hour of yosys writing the routed
// netlist as Verilog and half an hour of Verilator building it, then a minute of simulation:
// so it runs only when asked for, where nextpnr-ecp5 is installed.
const ROUTED_85F = 'KILOHASH_ROUTED_85F';
const no85f = noNextpnr ?? (process.env[ROUTED_85F] === '1' ? undefined : `about three hours on a first run; set ${ROUTED_85F}=1 to run it`);
describe.skipIf(!hasSimulator('verilator') || no85f !== undefined)(`the placed and routed ECP5-85F netlist (floorplanned, nextpnr-ecp5, packed cells, Verilator)${no85f ? ` (skipped: ${no85f})` : ''}`, () => {
  it('places, routes and answers as a kilohash core at a nonce a clock: identity, known answer, every fixture block', async () => {
    const { core, clockMhz } = DEVICE_DEFAULTS['ecp5-85f'];
    const netlist = await routedNetlist({ device: 'ecp5-85f', core, clockHz: clockMhz * 1e6, seed: 1 });
    expect(netlist.cells).toBe('ecp5-packed');
    await answersAsACore(netlist, { engines: 1, cyclesPerNonce: 1, clockHz: clockMhz * 1e6 });
  }, 4 * 60 * 60_000);
});
