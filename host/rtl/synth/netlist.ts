/**
 * The design as synthesis leaves it, written back to Verilog: yosys `synth_ice40` or
 * `synth_ecp5` with the same sources and script as `kilohash synth` (yosysInput), on the
 * generic top `kh_top` (no PLL, the same pins as the co-simulation drives), then
 * `write_verilog`. Simulated with yosys' own cell models it is the design the FPGA gets, gate
 * by gate: the check that catches a synthesis step that changes what the RTL means (a -dsp
 * merge once produced a design that did not hash). The iCE40 netlist is simulated with the
 * cell models npm's yosys ships on disk; the ECP5's models live only inside that yosys, so
 * the netlist has them mapped in (techmap with cells_sim.v): LUTs, carry chains and
 * flip-flops become gates. The ECP5 netlist is synthesised without block RAM (-nobram): the
 * DP16KD model does not map that way, and the one RAM is the result FIFO's, not the hashing.
 * Cached under build/netlist by the hash of the script and every source.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEVICE_BOARD, DEVICE_FAMILY, type CoreBuild, type Device } from './devices.ts';
import { yosysInput } from './synthesize.ts';
import { fileText, yosys, type Tree } from './toolchain.ts';

const CACHE = resolve(fileURLToPath(new URL('../../../', import.meta.url)), 'build', 'netlist');

export interface NetlistOptions {
  device: Device;
  core: CoreBuild;
  /** What CLOCK_HZ reads (the netlist has no PLL; the simulation clock is the harness's). */
  clockHz: number;
}

/** A synthesised `kh_top` and the cell models it needs beside it. */
export interface SynthesizedNetlist {
  verilog: string;
  /**
   * 'ice40': simulate with yosys' iCE40 cells_sim.v; 'inline': the models are in the netlist;
   * 'ecp5-packed': nextpnr-ecp5's packed cells, simulated on hdl/tb/ecp5_packed_cells.v.
   */
  cells: 'ice40' | 'inline' | 'ecp5-packed';
}

/**
 * Where a netlist built from these tool inputs is cached: build/netlist/<name>-<hash of every
 * input file, after `salt`>.
 */
export function netlistCacheDir(name: string, files: Tree, salt?: string): string {
  const hash = createHash('sha256');
  if (salt !== undefined) hash.update(salt);
  for (const file of Object.keys(files).sort()) {
    hash.update(file);
    hash.update(files[file] as string | Uint8Array);
  }
  return join(CACHE, `${name}-${hash.digest('hex').slice(0, 16)}`);
}

/**
 * Writes a cached file aside and renames it into place, so a test file building the same
 * netlist at the same time never reads half of it.
 */
export function writeCached(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const part = `${path}.${process.pid}.part`;
  writeFileSync(part, text);
  renameSync(part, path);
}

/** Synthesises (or finds in the cache) the netlist. */
export async function synthesizedNetlist(o: NetlistOptions): Promise<SynthesizedNetlist> {
  const ecp5 = DEVICE_FAMILY[o.device] === 'ecp5';
  const files = await yosysInput({
    board: DEVICE_BOARD[o.device], device: o.device, core: o.core, clockMhz: o.clockHz / 1e6, top: 'kh_top',
    ...(ecp5 ? { synthFlags: ['-nobram'] } : {}),
    extra: [...(ecp5 ? ['flatten', 'techmap -autoproc -map +/ecp5/cells_sim.v', 'opt_clean'] : []), 'write_verilog -noattr netlist.v'],
  });
  const dir = netlistCacheDir(o.device, files as Tree);
  const out = join(dir, 'kh_top.v');
  if (!existsSync(out)) {
    const syn = await yosys(['-q', '-s', 'synth.ys'], files as Tree);
    writeCached(out, fileText(syn.files, 'netlist.v'));
  }
  return { verilog: out, cells: ecp5 ? 'inline' : 'ice40' };
}
