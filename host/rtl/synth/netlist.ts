/**
 * The design as synthesis leaves it, written back to Verilog: yosys `synth_ice40` with the
 * same sources and script as `kilohash synth` (yosysInput), on the generic top `kh_top` (no
 * PLL, the same pins as the co-simulation drives), then `write_verilog`. Simulated with yosys'
 * own iCE40 cell models it is the design the FPGA gets, gate by gate: the check that catches a
 * synthesis step that changes what the RTL means (a -dsp merge once produced a design that did
 * not hash). Cached under build/netlist by the hash of the script and every source.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEVICE_BOARD, type Device } from './devices.ts';
import { yosysInput } from './synthesize.ts';
import { fileText, yosys, type Tree } from './toolchain.ts';

const CACHE = resolve(fileURLToPath(new URL('../../../', import.meta.url)), 'build', 'netlist');

export interface NetlistOptions {
  device: Device;
  engines: number;
  /** What CLOCK_HZ reads (the netlist has no PLL; the simulation clock is the harness's). */
  clockHz: number;
}

/** Synthesises (or finds in the cache) the netlist and returns the path of its Verilog. */
export async function synthesizedNetlist(o: NetlistOptions): Promise<string> {
  const files = await yosysInput({ board: DEVICE_BOARD[o.device], device: o.device, core: { kind: 'lanes', engines: o.engines }, clockMhz: o.clockHz / 1e6, top: 'kh_top', extra: ['write_verilog -noattr netlist.v'] });
  const hash = createHash('sha256');
  for (const name of Object.keys(files).sort()) {
    hash.update(name);
    hash.update(files[name] as string | Uint8Array);
  }
  const dir = join(CACHE, `${o.device}-e${o.engines}-${hash.digest('hex').slice(0, 16)}`);
  const out = join(dir, 'kh_top.v');
  if (!existsSync(out)) {
    const syn = await yosys(['-q', '-s', 'synth.ys'], files as Tree);
    mkdirSync(dir, { recursive: true });
    // Written aside and renamed, so a test file building the same netlist never reads half of it.
    const part = `${out}.${process.pid}.part`;
    writeFileSync(part, fileText(syn.files, 'netlist.v'));
    renameSync(part, out);
  }
  return out;
}
