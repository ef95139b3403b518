/**
 * The ECP5 design after place and route, as a netlist to simulate: the same sources and
 * yosys script as `kilohash synth` on the generic top `kh_top`, placed and routed by
 * nextpnr-ecp5 out of context (no I/O buffers, no global clock buffers: the ports stay the
 * ports the co-simulation drives), written back by nextpnr (`--write`) and turned into
 * Verilog by yosys. Its cells are the packed ones (TRELLIS_COMB: a LUT, a carry half or a
 * slice's mux; TRELLIS_FF), simulated on hdl/tb/ecp5_packed_cells.v: yosys' own models do
 * not cover the packed carry half, nor a flip-flop fed from the slice's bypass input. This
 * is the design after the packer, the placer's LUT and flip-flop pairing and the router's
 * LUT input permutation, each of which rewrites cells: what the FPGA gets, short of the
 * bitstream.
 *
 * Memories become flip-flops (`-nobram -nolutram`): neither the block RAM nor the
 * distributed RAM, as nextpnr packs it, is modelled, and neither holds any hashing.
 * Cached under build/netlist by the hash of the sources, the script, the seed and the floorplan.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEVICE_BOARD, DEVICE_FAMILY, type CoreBuild, type Device } from './devices.ts';
import { ecp5Tools } from './ecp5-tools.ts';
import { describeFloorplan, floorplanDesign, floorplanFor } from './floorplan.ts';
import type { JsonNetlist } from './json-netlist.ts';
import { netlistCacheDir, writeCached, type SynthesizedNetlist } from './netlist.ts';
import { ecp5PlaceAndRoute, yosysInput } from './synthesize.ts';
import { fileBytes, fileText, yosys, type Tree } from './toolchain.ts';

/** The packed cells hdl/tb/ecp5_packed_cells.v models. */
const MODELLED = new Set(['TRELLIS_COMB', 'TRELLIS_FF']);

/**
 * nextpnr's routed netlist made ready for the models: refuses, by name, a cell they do not
 * cover, and says two things about each TRELLIS_COMB that the fabric knows and the netlist
 * does not:
 *  - which half of its slice it sits in (IS_Z1). The halves' muxes differ (the first selects
 *    between the slice's two LUTs, the second between two first-level muxes, FXA/FXB), and
 *    nextpnr says which only by the cell's place;
 *  - that a LUT input the router left unconnected reads 1. nextpnr drops the constant-1
 *    inputs yosys ties to a LUT (a carry half's D, which selects its propagate table over
 *    its generate table, is one) and relies on the fabric for them.
 */
export function forPackedCellModels(routed: JsonNetlist): JsonNetlist {
  const out = structuredClone(routed);
  for (const [modName, mod] of Object.entries(out.modules)) {
    for (const [name, cell] of Object.entries(mod.cells)) {
      if (!MODELLED.has(cell.type)) throw new Error(`the routed netlist has a ${cell.type} (${modName}.${name}), which hdl/tb/ecp5_packed_cells.v does not model`);
      if (cell.type !== 'TRELLIS_COMB') continue;
      const half = /\.K([01])$/.exec(cell.attributes.NEXTPNR_BEL ?? '');
      if (!half) throw new Error(`${name} is not placed in a slice's K0 or K1 (NEXTPNR_BEL ${cell.attributes.NEXTPNR_BEL ?? 'missing'})`);
      cell.parameters.IS_Z1 = half[1]!;
      for (const input of ['A', 'B', 'C', 'D']) {
        if ((cell.connections[input] ?? []).length === 0) cell.connections[input] = ['1'];
      }
    }
  }
  return out;
}

export interface RoutedNetlistOptions {
  device: Device;
  core: CoreBuild;
  /** What CLOCK_HZ reads, and the clock nextpnr is asked to meet. */
  clockHz: number;
  seed: number;
  onProgress?: (line: string) => void;
}

/** Synthesises, places and routes (or finds in the cache) the ECP5 netlist of `kh_top`. */
export async function routedNetlist(o: RoutedNetlistOptions): Promise<SynthesizedNetlist> {
  if (DEVICE_FAMILY[o.device] !== 'ecp5') throw new Error(`a routed netlist is made for the ECP5 parts, not ${o.device}`);
  const progress = o.onProgress ?? (() => undefined);
  const files = await yosysInput({
    board: DEVICE_BOARD[o.device], device: o.device, core: o.core, clockMhz: o.clockHz / 1e6, top: 'kh_top',
    synthFlags: ['-nobram', '-nolutram'],
  });
  // The stages laid out as `kilohash synth` lays them out (floorplanFor): on the 85F, router1
  // routes that placement, and the placer alone leaves stages crossing the part.
  const plan = floorplanFor(o.device, o.core);
  const dir = netlistCacheDir(`${o.device}-routed`, files as Tree, `routed seed=${o.seed}${plan ? ` floorplan strips=${plan.strips}` : ''}`);
  const out = join(dir, 'kh_top.v');
  if (existsSync(out)) return { verilog: out, cells: 'ecp5-packed' };

  progress('yosys: synthesis (synth_ecp5)');
  const syn = await yosys(['-q', '-s', 'synth.ys'], files as Tree);
  const tools = await ecp5Tools(progress);
  const work = mkdtempSync(join(tmpdir(), 'kh-routed-'));
  try {
    const laid = plan ? floorplanDesign(fileText(syn.files, 'design.json'), 'kh_top', plan) : undefined;
    if (laid) progress(describeFloorplan(laid.summary));
    writeFileSync(join(work, 'design.json'), laid?.design ?? fileBytes(syn.files, 'design.json'));
    progress('nextpnr-ecp5: place and route, out of context');
    await ecp5PlaceAndRoute(tools, work, o.device, {
      freq: o.clockHz / 1e6, seed: o.seed, constraints: 'out-of-context', router: 'router1', bitstream: false, write: 'routed.json', onProgress: progress,
    });
    const routed = forPackedCellModels(JSON.parse(readFileSync(join(work, 'routed.json'), 'utf8')) as JsonNetlist);
    progress('yosys: the routed netlist as Verilog');
    // nextpnr names the top `top`; the co-simulation harness instantiates kh_top.
    const back = await yosys(['-q', '-p', 'read_json routed.json; rename top kh_top; write_verilog -noattr netlist.v'], { 'routed.json': JSON.stringify(routed) });
    writeCached(out, fileText(back.files, 'netlist.v'));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { verilog: out, cells: 'ecp5-packed' };
}
